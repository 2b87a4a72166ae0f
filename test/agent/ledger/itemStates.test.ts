/**
 * Ledger schema step 5: item states checked on write (triggers; SQLite cannot add a CHECK to a
 * table others reference without rebuilding it), with the old KTP's `awaiting_return` at the
 * intake desk. The released SQL must list exactly ITEM_STATES, an existing ledger upgrades in
 * place keeping its rows, and an agent that does not know the step refuses the upgraded file.
 */
import Database from 'better-sqlite3';
import t from 'tap';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { applyMigrations, configureDatabase } from '../../../agent/ledger/migrate.ts';
import { ITEM_STATE_SQL, LEDGER_MIGRATIONS } from '../../../agent/ledger/schema.ts';
import { ITEM_STATES, type ItemKind } from '../../../agent/ledger/types.ts';
import { STATE_LABELS } from '../../../agent/reports/laporanHarian.ts';

t.test('the states step 5 lets in are ITEM_STATES, kind by kind', async (t) => {
  const inSql: Record<string, string[]> = {};
  for (const m of ITEM_STATE_SQL.matchAll(/NEW\.kind = '(\w+)' AND NEW\.state IN \(([^)]*)\)/g)) inSql[m[1]] = [...m[2].matchAll(/'(\w+)'/g)].map((x) => x[1]);
  t.same(inSql, Object.fromEntries((Object.keys(ITEM_STATES) as ItemKind[]).map((k) => [k, [...ITEM_STATES[k]]])));
  t.ok(ITEM_STATES.old_ktp.includes('awaiting_return'));
  t.same(Object.values(ITEM_STATES).flat().filter((s) => !(s in STATE_LABELS)), [], 'every state has its Bahasa label in the daily report');
});

t.test('a step-4 ledger upgrades in place; unknown states are refused from then on', async (t) => {
  const db = new Database(':memory:');
  configureDatabase(db);
  applyMigrations(db, 'ledger', LEDGER_MIGRATIONS.slice(0, 4));
  db.exec(`INSERT INTO roster_imports VALUES (1, 'B-1', 'kec-demo', 'k', 'h', 1, 'x', 'x');
           INSERT INTO residents (id, import_id, nik, name, letter_no, card_uid) VALUES (1, 1, '3273010101010001', 'A', 'SP/1', '04AA');
           INSERT INTO items (kind, resident_id, ref, state, updated_at) VALUES ('old_ktp', 1, 'SP/1', 'returned', 'x'), ('ektp', 1, '04AA', 'on_hand', 'x');`);
  new Ledger(db, () => new Date(), 'Asia/Jakarta');
  t.equal((db.prepare("SELECT version FROM schema_migrations WHERE module = 'ledger'").get() as { version: number }).version, LEDGER_MIGRATIONS.length);
  t.same(db.prepare('SELECT kind, state FROM items ORDER BY id').all(), [
    { kind: 'old_ktp', state: 'returned' },
    { kind: 'ektp', state: 'on_hand' },
  ], 'rows kept as they were');
  db.prepare("UPDATE items SET state = 'awaiting_return' WHERE kind = 'old_ktp'").run();
  t.throws(() => db.prepare("UPDATE items SET state = 'awaiting_return' WHERE kind = 'ektp'").run(), /unknown custody state/, 'an e-KTP is never awaiting return');
  t.throws(() => db.prepare("UPDATE items SET state = 'somewhere' WHERE kind = 'old_ktp'").run(), /unknown custody state/);
  t.throws(() => db.prepare("INSERT INTO items (kind, resident_id, ref, state, updated_at) VALUES ('letter', 1, 'SP/1', 'lost', 'x')").run(), /unknown custody state/);
  t.throws(() => applyMigrations(db, 'ledger', LEDGER_MIGRATIONS.slice(0, 4)), /newer than this agent knows/, 'an older agent refuses the upgraded ledger');
});
