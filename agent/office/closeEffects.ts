import type { Database } from 'better-sqlite3';
import type { Ledger } from '../ledger/ledger.ts';
import type { Ticket } from '../ledger/types.ts';
import type { CloseOutcome, JournalBody } from './protocol.ts';

const TICKET_AFTER: Record<CloseOutcome, Ticket['state']> = {
  berhasil: 'served',
  gagal: 'served',
  tertunda: 'served',
  no_show: 'no_show',
  // Interrupted before the verdict: back to the head of the queue, documents still held.
  interrupted: 'waiting',
  cancelled: 'cancelled',
};

/**
 * What a counter's close does to the desk's ledger: the ticket's state, the old KTP and the queue
 * number (both stayed at the desk), and the e-KTP and letter as the counter hands them back. Used
 * by the queue authority for every close (authority.ts) and by a supervisor's settlement that finds
 * the counter's report true (settle.ts). Call inside the caller's SQLite transaction.
 */
export function applyCloseAtDesk(
  parts: { db: Database; ledger: Ledger; device: string; at: string },
  from: string,
  body: Extract<JournalBody, { type: 'close' }>,
  ticketId: number,
  backReason: string,
): Ticket {
  const { db, ledger, at } = parts;
  const t = ledger.ticket(ticketId);
  const resident = ledger.residentById(t.residentId);
  ledger.setTicketState(t.id, TICKET_AFTER[body.outcome]);
  const reason = `counter_${body.outcome}`;
  const lost = ledger.oldKtpLossReport(t.id) !== null;
  // Unverified with the documents given back (the letter did not come back held): so is the old KTP.
  const unverifiedReturned = body.outcome === 'tertunda' && !body.returns.some((r) => r.kind === 'letter' && r.state === 'held');
  // The old KTP never left the desk's drawer: after berhasil the desk keeps it; otherwise it is owed
  // to the resident, who walks back to the desk for it. `returned` waits for the handback itself
  // (agent/intake/desk.ts) or close-day, never the counter's word.
  if (!lost && (body.outcome === 'berhasil' || body.outcome === 'gagal' || body.outcome === 'cancelled' || unverifiedReturned)) {
    ledger.move('old_ktp', resident.letterNo, body.outcome === 'berhasil' ? 'kept' : 'awaiting_return', null, reason);
  }
  if (body.outcome !== 'no_show' && body.outcome !== 'interrupted') ledger.move('queue_ticket', `${t.day}/${t.number}`, 'kept', null, reason);
  for (const r of body.returns) {
    const ref = r.kind === 'ektp' ? resident.cardUid : resident.letterNo;
    ledger.move(r.kind, ref, r.state as never, null, backReason);
    db.prepare("INSERT OR IGNORE INTO office_moves (move_id, kind, ref, from_device, to_device, to_state, direction, sent_at, acked_at) VALUES (?, ?, ?, ?, ?, ?, 'in', ?, ?)")
      .run(`${body.claimId}:${r.kind}:back`, r.kind, ref, from, parts.device, r.state, at, at);
  }
  return t;
}
