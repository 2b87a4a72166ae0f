/**
 * Every ledger-writing `ektp-agent` command refuses a ledger that no longer verifies, through the
 * one guard in agent/tools/openLedger.ts (LEDGER_TAMPERED, exit 3, the same Bahasa line, nothing
 * recorded); the read-only ones keep working on it, since the supervisor and the technician need
 * them to find out what happened. The real CLI on a sealed SQLite file edited from another process.
 */
import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { DEV_KEY_ID } from '../../../agent/roster/devKey.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { cli } from '../../helpers/cli.ts';
import { foreignSql, query } from '../../helpers/ledgerFile.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

/** Every row of every table, so "nothing changed" means nothing at all. */
function snapshot(file: string): string {
  const tables = query<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  return JSON.stringify(tables.map(({ name }) => [name, query(file, `SELECT * FROM "${name}"`)]));
}

/**
 * A counter's data directory: four residents on the roster, two taken in today; then the first
 * resident's old KTP made 'kept' (collected for the Dinas) with another sqlite client: the next
 * old-KTP berita acara would hand it over, and after that the edit would no longer show.
 */
function tamperedSite(t: { testdir(): string }) {
  const dir = t.testdir();
  const file = join(dir, 'ledger.sqlite');
  const { residents, db, ledger: fixture } = ledgerWithRoster(4, { path: file });
  const ledger = new Ledger(db, () => new Date(), 'Asia/Jakarta', { chainKey: fixture.chainKey });
  for (const r of residents.slice(0, 2)) ledger.intake(r.letterNo, 'A');
  db.close();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: dir, site: { id: 'kec-demo' }, roster: { trustedKeys: [DEV_KEY_ID] } }));
  foreignSql(file, `UPDATE items SET state = 'kept' WHERE kind = 'old_ktp' AND ref = '${residents[0].letterNo}'`);
  return { dir, file, config, residents };
}

function refused(t: Test, r: ReturnType<typeof cli>, what: string): void {
  t.equal(r.status, 3, `${what}: the exit status of LEDGER_TAMPERED`);
  t.match(r.stderr, /Perintah tidak dijalankan: buku besar diubah di luar aplikasi \(.*state does not match its custody events/, `${what}: the Bahasa line with what verify found`);
  t.match(r.stderr, /Tidak ada yang dicatat\. Hubungi Dinas; `ektp-agent verify-ledger`/, `${what}: nothing recorded, where to look`);
  t.match(r.stderr, /\(LEDGER_TAMPERED\)/, `${what}: the code`);
}

t.test('custody and batch writers (batch create/sign/lend, close-day, office release/settle) refuse; nothing changes', async (t) => {
  const { file, config } = tamperedSite(t);
  const before = snapshot(file);
  refused(t, cli(['batch', 'create', 'old_ktp_handover', '--config', config]), 'batch create');
  refused(t, cli(['batch', 'sign', 'BA-STK-KTPL-1', '--config', config]), 'batch sign');
  refused(t, cli(['batch', 'lend', 'X-1', '--until', '2026-12-31', '--config', config]), 'batch lend');
  refused(t, cli(['close-day', '--counted', '4', '--config', config]), 'close-day');
  refused(t, cli(['office', 'release', '--ticket', 'A-001', '--confirm-retrieved', '--config', config]), 'office release');
  refused(t, cli(['office', 'settle', '--conflict', '1', '--true', 'desk', '--note', 'diambil', '--config', config]), 'office settle');
  t.equal(snapshot(file), before, 'not one row changed');
  t.same(query(file, "SELECT COUNT(*) AS n FROM batches"), [{ n: 0 }], 'no berita acara drafted over the edited old KTP');
});

t.test('deliveries in (import-roster, delivery receive) refuse; nothing changes', async (t) => {
  const { dir, file, config, residents } = tamperedSite(t);
  const roster = join(dir, 'kiriman-B-2.json');
  writeFileSync(roster, JSON.stringify(virtualRoster(makeResidents(7, 2), 'kec-demo', 'B-2', '2026-11-27T00:00:00.000Z')));
  const cards = join(dir, 'cards.txt');
  writeFileSync(cards, residents.map((r) => r.cardUid).join('\n') + '\n');
  const before = snapshot(file);
  refused(t, cli(['import-roster', '--config', config, roster]), 'import-roster');
  refused(t, cli(['import-roster', '--config', config, '--dir', dir]), 'import-roster --dir');
  refused(t, cli(['delivery', 'receive', '--batch', 'B-1', '--cards', cards, '--config', config]), 'delivery receive');
  t.equal(snapshot(file), before, 'not one row changed');
});

t.test('retention purge refuses (erasing rows would destroy evidence); its dry run still answers', async (t) => {
  const { file, config } = tamperedSite(t);
  const before = snapshot(file);
  refused(t, cli(['retention', 'purge', '--clock-checked', '--config', config]), 'retention purge');
  const dry = cli(['retention', 'purge', '--dry-run', '--clock-checked', '--config', config]);
  t.equal(dry.status, 0, dry.stderr);
  t.match(dry.stdout, /would erase personal data of 0 resident\(s\)/);
  t.equal(snapshot(file), before, 'not one row changed');
});

t.test('read-only commands keep working on the edited ledger (reports, lists, verify, RoPA)', async (t) => {
  const { dir, file, config } = tamperedSite(t);
  const before = snapshot(file);
  const verify = cli(['verify-ledger', '--db', file, '--config', config]);
  t.equal(verify.status, 3, 'verify-ledger reports the edit (its own exit status)');
  t.match(verify.stdout + verify.stderr, /state does not match its custody events/);

  const report = cli(['report', 'daily', '--config', config, '--out', join(dir, 'out')]);
  t.notMatch(report.stderr, /LEDGER_TAMPERED/, 'the daily report is made');
  t.match(report.stdout, /wrote .*laporan-harian-/);

  const list = cli(['batch', 'list', '--config', config]);
  t.equal(list.status, 0, list.stderr);

  const ropa = cli(['retention', 'ropa', '--config', config]);
  t.equal(ropa.status, 0, ropa.stderr);
  t.match(JSON.parse(ropa.stdout), { site: 'kec-demo' });
  t.equal(snapshot(file), before, 'reading changed nothing');
});
