import Database from 'better-sqlite3';
import t from 'tap';
import { applyMigrations } from '../../../agent/ledger/migrate.ts';
import { OFFICE_MIGRATIONS } from '../../../agent/office/schema.ts';

t.test('office schema step 2 keeps a desk ledger made by step 1: claims, leases and the one-lease rule', async (t) => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE tickets (id INTEGER PRIMARY KEY)');
  db.exec('INSERT INTO tickets VALUES (1), (2)');
  applyMigrations(db, 'office', OFFICE_MIGRATIONS.slice(0, 1));
  db.prepare("INSERT INTO office_claims VALUES ('c1', 'loket-1', 1, 'leased', NULL, '2026-01-01T01:00:00Z')").run();
  db.prepare("INSERT INTO office_claims VALUES ('c2', 'loket-2', 2, 'closed', 'berhasil', '2026-01-01T02:00:00Z')").run();
  applyMigrations(db, 'office', OFFICE_MIGRATIONS);
  t.same(db.prepare('SELECT claim_id, state, outcome, at, leased_at FROM office_claims ORDER BY claim_id').all(), [
    { claim_id: 'c1', state: 'leased', outcome: null, at: '2026-01-01T01:00:00Z', leased_at: '2026-01-01T01:00:00Z' },
    { claim_id: 'c2', state: 'closed', outcome: 'berhasil', at: '2026-01-01T02:00:00Z', leased_at: null },
  ]);
  t.throws(() => db.prepare("INSERT INTO office_claims (claim_id, counter, ticket_id, state, at) VALUES ('c3', 'loket-2', 1, 'leased', 'x')").run(), /UNIQUE/, 'one lease per ticket still holds');
  db.prepare("UPDATE office_claims SET state = 'released' WHERE claim_id = 'c1'").run();
  t.throws(() => db.prepare("UPDATE office_claims SET state = 'lost' WHERE claim_id = 'c2'").run(), /CHECK/);
  t.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'office_conflicts'").get());
});
