import { ledgerDatabase, type Ledger } from './ledger.ts';
import type { Resident } from './types.ts';

/**
 * Old KTPs owed back to their owners at the intake desk (state `awaiting_return`, types.ts). In a
 * multi-counter office the verdict is given at a counter, but the old KTP never left the desk's
 * drawer (SOP step 3): after gagal, a cancelled call, or "belum dapat diverifikasi" with the
 * documents returned, the desk's ledger records the debt, and `returned` only when the officer
 * has handed it back (agent/intake/desk.ts), or close-day settles it for those who never came.
 */

export interface AwaitingReturn {
  /** The ticket the verdict was given under (`A-014`), and its day. */
  readonly number: string;
  readonly day: string;
  /** When the desk learnt it is owed (the counter's close), ISO 8601. */
  readonly since: string;
  readonly residentId: number;
  /** The summons letter number: local to the desk's printouts, never on MQTT. */
  readonly letterNo: string;
  /** The close that made it owed: counter_gagal, counter_cancelled, counter_tertunda. */
  readonly why: string;
}

const AWAITING = `
  SELECT k.number, k.day, i.updated_at AS since, r.id AS residentId, r.letter_no AS letterNo,
    (SELECT e.reason FROM custody_events e WHERE e.item_id = i.id ORDER BY e.id DESC LIMIT 1) AS why
  FROM items i JOIN residents r ON r.id = i.resident_id
  JOIN tickets k ON k.id = (SELECT MAX(id) FROM tickets WHERE resident_id = r.id)
  WHERE i.kind = 'old_ktp' AND i.state = 'awaiting_return'`;

/** Every old KTP still waiting at the desk for its owner, oldest first. */
export function oldKtpsAwaitingReturn(ledger: Ledger): AwaitingReturn[] {
  return ledgerDatabase(ledger).prepare(`${AWAITING} ORDER BY i.updated_at, k.id`).all() as AwaitingReturn[];
}

/** The handback owed to this resident, or null. */
export function awaitingReturnOf(ledger: Ledger, resident: Resident): AwaitingReturn | null {
  return (ledgerDatabase(ledger).prepare(`${AWAITING} AND r.id = ?`).get(resident.id) as AwaitingReturn | undefined) ?? null;
}

/**
 * The officer handed the old KTP back at the desk (SESUAI after "KEMBALIKAN KTP LAMA"): recorded
 * `returned` with its audit row. Call inside the transaction that queues the handback slip.
 */
export function recordHandback(ledger: Ledger, owed: AwaitingReturn): void {
  ledger.move('old_ktp', owed.letterNo, 'returned', null, 'handback_at_desk');
  ledger.audit('old_ktp_handback', null, { resident: owed.residentId, ticket: `${owed.day}/${owed.number}`, why: owed.why });
}
