import type { Database } from 'better-sqlite3';
import { ITEM_STATES, type ItemKind } from './types.ts';

export interface ItemBalance {
  /** Items that came into custody (delivered cards; documents taken at intake). */
  readonly received: number;
  readonly byState: Readonly<Record<string, number>>;
  readonly ok: boolean;
}

export interface Reconciliation {
  readonly ok: boolean;
  readonly items: Readonly<Record<ItemKind, ItemBalance>>;
  readonly openTransactions: number;
  /** Human-readable findings; empty when ok. Never contains a NIK or a name. */
  readonly problems: readonly string[];
}

/**
 * Accounts for every physical item three independent ways:
 * 1. balance: what came in (roster entries for e-KTPs, distinct intakes for documents) equals the
 *    sum over current states;
 * 2. replay: each item's custody events form an unbroken chain ending in its current state;
 * 3. outcome: every closed transaction with a verdict moved the items its verdict requires
 *    (berhasil: e-KTP issued, old KTP, letter, queue number and receipt kept; gagal: e-KTP
 *    retained, old KTP and letter returned, queue number kept).
 * Open transactions make `ok` false: at the end of a day nothing may be half-way.
 */
export function reconcile(db: Database): Reconciliation {
  const problems: string[] = [];
  const items = {} as Record<ItemKind, ItemBalance>;

  // e-KTPs this box took into custody: every entry of a roster delivered to its own card store,
  // plus, on a counter of a multi-counter office (roster imported without a card store), each
  // e-KTP that came over from the intake desk with a claim (agent/office/queueClient.ts).
  const delivered = (
    db
      .prepare(
        `SELECT COALESCE(SUM(ri.entries), 0) AS n FROM roster_imports ri WHERE EXISTS (
           SELECT 1 FROM residents r JOIN items i ON i.kind = 'ektp' AND i.resident_id = r.id
           JOIN custody_events e ON e.item_id = i.id AND e.from_state IS NULL AND e.reason = 'roster_delivery'
           WHERE r.import_id = ri.id)`,
      )
      .get() as { n: number }
  ).n;
  const fromIntakeDesk = (
    db
      .prepare("SELECT COUNT(DISTINCT e.item_id) AS n FROM custody_events e JOIN items i ON i.id = e.item_id WHERE i.kind = 'ektp' AND e.from_state IS NULL AND e.reason = 'received_from_intake'")
      .get() as { n: number }
  ).n;
  const intakes = (kind: ItemKind) =>
    (db.prepare("SELECT COUNT(DISTINCT item_id) AS n FROM custody_events e JOIN items i ON i.id = e.item_id WHERE i.kind = ? AND e.from_state IS NULL").get(kind) as { n: number }).n;

  for (const kind of Object.keys(ITEM_STATES) as ItemKind[]) {
    const rows = db.prepare('SELECT state, COUNT(*) AS n FROM items WHERE kind = ? GROUP BY state').all(kind) as { state: string; n: number }[];
    const byState: Record<string, number> = Object.fromEntries(ITEM_STATES[kind].map((s) => [s, 0]));
    for (const r of rows) {
      if (!(r.state in byState)) problems.push(`${kind}: ${r.n} item(s) in unknown state "${r.state}"`);
      byState[r.state] = (byState[r.state] ?? 0) + r.n;
    }
    const total = Object.values(byState).reduce((a, b) => a + b, 0);
    const received = kind === 'ektp' ? delivered + fromIntakeDesk : intakes(kind);
    const ok = total === received;
    if (!ok) problems.push(`${kind}: received ${received} but ${total} accounted for`);
    items[kind] = { received, byState, ok };
  }

  const chainBreaks = db
    .prepare(
      `SELECT i.id, i.kind FROM items i
       WHERE i.state IS NOT (SELECT e.to_state FROM custody_events e WHERE e.item_id = i.id ORDER BY e.id DESC LIMIT 1)
          OR EXISTS (
            SELECT 1 FROM custody_events e
            WHERE e.item_id = i.id AND e.from_state IS NOT (
              SELECT p.to_state FROM custody_events p WHERE p.item_id = i.id AND p.id < e.id ORDER BY p.id DESC LIMIT 1))`,
    )
    .all() as { id: number; kind: string }[];
  for (const b of chainBreaks) problems.push(`${b.kind} item ${b.id}: custody events do not end in its current state`);

  const required: Record<string, [ItemKind, string][]> = {
    berhasil: [['ektp', 'issued'], ['old_ktp', 'kept'], ['letter', 'kept'], ['queue_ticket', 'kept'], ['receipt', 'kept']],
    gagal: [['ektp', 'retained'], ['old_ktp', 'returned'], ['letter', 'returned'], ['queue_ticket', 'kept']],
    tertunda: [['queue_ticket', 'kept']],
  };
  const closed = db
    .prepare(
      `SELECT t.id, t.outcome, k.old_ktp_loss_report AS lossReport, k.claim_id AS claimId FROM transactions t JOIN tickets k ON k.id = t.ticket_id
       WHERE t.outcome IN ('berhasil', 'gagal', 'tertunda') AND t.closed_at IS NOT NULL`,
    )
    .all() as { id: string; outcome: string; lossReport: string | null; claimId: string | null }[];
  // Unverified is not a verdict: its e-KTP must never have been retained for destruction.
  const retainedUnverified = db
    .prepare("SELECT x.id FROM transactions x JOIN custody_events e ON e.tx_id = x.id JOIN items i ON i.id = e.item_id WHERE x.outcome = 'tertunda' AND i.kind = 'ektp' AND e.to_state = 'retained'")
    .all() as { id: string }[];
  for (const r of retainedUnverified) problems.push(`transaction ${r.id} (tertunda) retained the e-KTP`);
  const moved = db.prepare('SELECT 1 FROM custody_events e JOIN items i ON i.id = e.item_id WHERE e.tx_id = ? AND i.kind = ? AND e.to_state = ?');
  for (const tx of closed) {
    for (const [kind, state] of required[tx.outcome]) {
      // A lost old KTP (police report recorded at intake) never came into custody.
      if (kind === 'old_ktp' && tx.lossReport !== null) continue;
      // A ticket of the office queue: the intake desk moves the old KTP and the queue number.
      if ((kind === 'old_ktp' || kind === 'queue_ticket') && tx.claimId !== null) continue;
      if (!moved.get(tx.id, kind, state)) problems.push(`transaction ${tx.id} (${tx.outcome}) never moved ${kind} to ${state}`);
    }
  }

  const openTransactions = (db.prepare('SELECT COUNT(*) AS n FROM transactions WHERE closed_at IS NULL').get() as { n: number }).n;
  if (openTransactions > 0) problems.push(`${openTransactions} transaction(s) still open`);

  return { ok: problems.length === 0, items, openTransactions, problems };
}
