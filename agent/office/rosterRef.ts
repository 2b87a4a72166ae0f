import type { Database } from 'better-sqlite3';
import type { RosterRef } from './protocol.ts';

/** A resident as (roster batch, index in it): the same on every box that imported the batch, and not personal data. */
export function rosterRefOf(db: Database, residentId: number): RosterRef {
  const r = db
    .prepare(
      `SELECT i.batch_id AS batch, (SELECT COUNT(*) FROM residents o WHERE o.import_id = r.import_id AND o.id < r.id) AS idx
       FROM residents r JOIN roster_imports i ON i.id = r.import_id WHERE r.id = ?`,
    )
    .get(residentId) as { batch: string; idx: number } | undefined;
  if (!r) throw new Error(`resident ${residentId} has no roster import`);
  return { batch: r.batch, index: r.idx };
}

export function residentIdOf(db: Database, ref: RosterRef): number | null {
  const r = db
    .prepare('SELECT r.id FROM residents r JOIN roster_imports i ON i.id = r.import_id WHERE i.batch_id = ? ORDER BY r.id LIMIT 1 OFFSET ?')
    .get(ref.batch, ref.index) as { id: number } | undefined;
  return r?.id ?? null;
}
