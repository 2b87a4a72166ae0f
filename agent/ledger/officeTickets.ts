import type { RosterRef } from '../office/protocol.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';
import type { Ticket } from './types.ts';

/**
 * The ledger's side of the office queue (agent/office/): the resident as the other boxes name
 * it, and a counter's copy of a ticket claimed from the intake desk. Kept here because it reads
 * and writes the ledger's own tables; the office modules own only their office_* tables.
 */

/** A resident as (roster batch, index in it): the same on every box that imported the batch, and not personal data. */
export function rosterRefOf(ledger: Ledger, residentId: number): RosterRef {
  const r = ledgerDatabase(ledger)
    .prepare(
      `SELECT i.batch_id AS batch, (SELECT COUNT(*) FROM residents o WHERE o.import_id = r.import_id AND o.id < r.id) AS idx
       FROM residents r JOIN roster_imports i ON i.id = r.import_id WHERE r.id = ?`,
    )
    .get(residentId) as { batch: string; idx: number } | undefined;
  if (!r) throw new Error(`resident ${residentId} has no roster import`);
  return { batch: r.batch, index: r.idx };
}

export function residentIdOf(ledger: Ledger, ref: RosterRef): number | null {
  const r = ledgerDatabase(ledger)
    .prepare('SELECT r.id FROM residents r JOIN roster_imports i ON i.id = r.import_id WHERE i.batch_id = ? ORDER BY r.id LIMIT 1 OFFSET ?')
    .get(ref.batch, ref.index) as { id: number } | undefined;
  return r?.id ?? null;
}

/**
 * Records (or re-opens) this counter's copy of a ticket the desk granted to `claimId`. A ticket
 * that came back to the queue and was claimed again keeps its row, waiting under the new claim.
 */
export function recordClaimedTicket(
  ledger: Ledger,
  t: { readonly number: string; readonly day: string; readonly issuedAt: string },
  residentId: number,
  claimId: string,
): Ticket {
  const { id } = ledgerDatabase(ledger)
    .prepare(
      `INSERT INTO tickets (number, day, resident_id, state, calls, issued_at, claim_id) VALUES (?, ?, ?, 'waiting', 0, ?, ?)
       ON CONFLICT (day, number) DO UPDATE SET state = 'waiting', claim_id = excluded.claim_id RETURNING id`,
    )
    .get(t.number, t.day, residentId, t.issuedAt, claimId) as { id: number };
  return ledger.ticket(id);
}

/** Claimed tickets still waiting with no open transaction: a crash came between claim and call. */
export function claimedTicketsNotStarted(ledger: Ledger): number[] {
  const rows = ledgerDatabase(ledger)
    .prepare(
      `SELECT id FROM tickets k WHERE claim_id IS NOT NULL AND state = 'waiting'
       AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.ticket_id = k.id AND t.closed_at IS NULL)`,
    )
    .all() as { id: number }[];
  return rows.map((r) => r.id);
}

/** How many tickets this box's ledger has (a counter that could not reach the queue has none). */
export function ticketCount(ledger: Ledger): number {
  return (ledgerDatabase(ledger).prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
}

/** Every ticket number of this box's ledger in the order issued (the desk's: unique per office and day). */
export function ticketNumbers(ledger: Ledger): string[] {
  return (ledgerDatabase(ledger).prepare('SELECT number FROM tickets ORDER BY id').all() as { number: string }[]).map((r) => r.number);
}

/** Whether the resident was ever given a ticket here (a restarted desk does not queue them twice). */
export function residentHasTicket(ledger: Ledger, residentId: number): boolean {
  return ledgerDatabase(ledger).prepare('SELECT 1 FROM tickets WHERE resident_id = ?').get(residentId) !== undefined;
}
