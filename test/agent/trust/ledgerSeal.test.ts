/**
 * Issue #16, "a beatable ledger seal": editing a verdict and an e-KTP's custody, then re-chaining
 * the audit with the public algorithm, gave verify-ledger OK; so did rewriting a resident and
 * marking the row purged. Now the chain is an HMAC under a key outside the data directory, purged
 * rows are checked against their non-personal digest and the purge audit entry, and start-up and
 * doctor verify it too.
 */
import t from 'tap';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH } from '../../../agent/ledger/audit.ts';
import { loadChainKey } from '../../../agent/ledger/chainKey.ts';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { configureDatabase } from '../../../agent/ledger/migrate.ts';
import { purgePersonalData } from '../../../agent/ledger/retention.ts';
import { loadTrustedKeys, verifyRoster } from '../../../agent/roster/signedRoster.ts';
import { DEV_KEY_ID } from '../../../agent/roster/devKey.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { cli, writeConfig } from '../../helpers/cli.ts';

/** A sealed ledger made by `ektp-agent init`, with one gagal (e-KTP retained) and one purged resident. */
function sealedDay(dir: string) {
  const dataDir = join(dir, 'data');
  const keyFile = join(dir, 'keys', 'ledger.key');
  const config = writeConfig(dir, dataDir, { ledger: { keyFile } });
  const init = cli(['init', '--config', config]);
  if (init.status !== 0) throw new Error(init.stderr);
  const db = new Database(join(dataDir, 'ledger.sqlite'));
  configureDatabase(db);
  let clock = Date.now(); // after the seal that init wrote
  const ledger = new Ledger(db, () => new Date((clock += 1000)), 'Asia/Jakarta', { chainKey: loadChainKey(keyFile) });
  const residents = makeResidents(5, 2);
  ledger.importRoster(verifyRoster(virtualRoster(residents, 'kec-demo', 'B-1', '2025-01-05T00:00:00.000Z'), loadTrustedKeys([DEV_KEY_ID])));
  for (const [i, outcome] of [[0, 'gagal'], [1, 'berhasil']] as const) {
    const { ticket, resident } = ledger.intake(residents[i].letterNo, 'A');
    ledger.atomically(() => {
      ledger.createTransaction(`tx-${i}`, ticket, 'CALLED', '{}');
      ledger.setTicketState(ticket.id, 'served');
      ledger.recordVerdict(`tx-${i}`, outcome, outcome === 'gagal' ? 'fp_no_match' : null);
      ledger.move('ektp', resident.cardUid, outcome === 'gagal' ? 'retained' : 'issued', `tx-${i}`, outcome);
      // Documents back to both, so the berhasil resident is settled and purgeable later.
      ledger.move('old_ktp', resident.letterNo, 'returned', `tx-${i}`, outcome);
      ledger.move('letter', resident.letterNo, 'returned', `tx-${i}`, outcome);
      ledger.move('queue_ticket', `${ticket.day}/${ticket.number}`, 'kept', `tx-${i}`, outcome);
      ledger.closeTransaction(`tx-${i}`, outcome, outcome === 'gagal' ? 'fp_no_match' : null);
    });
  }
  clock += 400 * 86_400_000;
  purgePersonalData(ledger, 365, { clockSynced: true, clockChecked: true });
  db.close();
  return { dataDir, keyFile, config, path: join(dataDir, 'ledger.sqlite') };
}

/** What an insider with the file and the public algorithm does after editing rows. */
function rechain(db: Database.Database): void {
  db.exec('DROP TRIGGER audit_append_only_u; DROP TRIGGER audit_append_only_d');
  const rows = db.prepare('SELECT id, at, action, tx_id, data FROM audit ORDER BY id').all() as { id: number; at: string; action: string; tx_id: string | null; data: string }[];
  let prev = GENESIS_HASH;
  const upd = db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?');
  for (const r of rows) {
    const h = auditHash(prev, r.id, r.at, r.action, r.tx_id, r.data);
    upd.run(prev, h, r.id);
    prev = h;
  }
}

t.test('the untouched sealed ledger verifies, and needs its key', async (t) => {
  const day = sealedDay(t.testdir());
  t.equal(cli(['verify-ledger', '--db', day.path, '--config', day.config]).status, 0);
  const noKey = cli(['verify-ledger', '--db', day.path]);
  t.equal(noKey.status, 9, 'a sealed ledger without its key is LEDGER_KEY_MISSING, not OK');
  t.match(noKey.stderr, /LEDGER_KEY_MISSING/);
});

t.test('gagal edited to berhasil and the e-KTP to issued, re-chained with the public algorithm: TAMPERED', async (t) => {
  const day = sealedDay(t.testdir());
  const db = new Database(day.path);
  db.exec('DROP TRIGGER custody_events_append_only_u');
  db.prepare("UPDATE transactions SET outcome = 'berhasil', reason = NULL WHERE id = 'tx-0'").run();
  db.prepare("UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND state = 'retained'").run();
  db.prepare("UPDATE custody_events SET to_state = 'issued' WHERE to_state = 'retained'").run();
  db.exec(`DROP TRIGGER audit_append_only_u; CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit WHEN 0 BEGIN SELECT 1; END`);
  db.prepare(`UPDATE audit SET data = replace(replace(data, '"gagal"', '"berhasil"'), '"retained"', '"issued"')`).run();
  rechain(db);
  db.close();
  const r = cli(['verify-ledger', '--db', day.path, '--config', day.config]);
  t.equal(r.status, 3, 'exit status of a tampered ledger');
  t.match(r.stdout, /^TAMPERED/);

  // Removing the seal as well (so nothing says the chain was keyed) does not help.
  const copy = join(day.dataDir, 'copy.sqlite');
  copyFileSync(day.path, copy);
  const c = new Database(copy);
  c.exec('DROP TABLE ledger_meta');
  c.close();
  const unsealed = cli(['verify-ledger', '--db', copy, '--config', day.config]);
  t.equal(unsealed.status, 3);
  t.match(unsealed.stdout, /no chain seal/);

  // And the agent refuses to serve on it, with its code.
  const run = cli(['run', '--config', day.config]);
  t.equal(run.status, 3);
  t.match(run.stderr, /LEDGER_TAMPERED/);
  t.notMatch(run.stdout + run.stderr, /counter ready/);
  // Doctor says so too.
  const doc = cli(['doctor', '--config', day.config]);
  t.match(doc.stdout, /^LEDGER_TAMPERED\s+GAGAL/m);
});

t.test('a purged resident rewritten (name, NIK) or a live one marked purged: TAMPERED', async (t) => {
  const day = sealedDay(t.testdir());
  const db = new Database(day.path);
  const purged = db.prepare('SELECT id FROM residents WHERE purged_at IS NOT NULL').all() as { id: number }[];
  t.ok(purged.length >= 1, 'the fixture purged someone');
  db.prepare("UPDATE residents SET letter_no = 'SP/FORGED/1' WHERE id = ?").run(purged[0].id);
  db.close();
  const a = cli(['verify-ledger', '--db', day.path, '--config', day.config]);
  t.equal(a.status, 3);
  t.match(a.stdout, /purged row differs from the one imported/);

  const other = sealedDay(t.testdir());
  const db2 = new Database(other.path);
  db2.prepare("UPDATE residents SET nik = NULL, name = NULL, validation_json = NULL, purged_at = '2026-01-01T00:00:00.000Z' WHERE purged_at IS NULL").run();
  db2.close();
  const b = cli(['verify-ledger', '--db', other.path, '--config', other.config]);
  t.equal(b.status, 3);
  t.match(b.stdout, /marked purged, but no purge is in the audit/);
});
