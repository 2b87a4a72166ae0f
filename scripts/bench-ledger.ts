/**
 * Start-up cost of the ledger seal: builds a sealed ledger with N audit rows (default 100 000,
 * the order of a year at a busy counter) and times what the agent does before serving:
 * verifyLedger (HMAC chain + custody + roster + batch checks); then what the running agent's
 * re-check costs (agent/ledger/watch.ts): with nothing written, after one transaction's worth of
 * rows, and after another connection wrote (the full re-verification). Prints figures; asserts nothing.
 *
 *   npm run bench:ledger -- [--rows 100000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadChainKey } from '../agent/ledger/chainKey.ts';
import { Ledger } from '../agent/ledger/ledger.ts';
import { configureDatabase } from '../agent/ledger/migrate.ts';
import { initLedgerFiles } from '../agent/ledger/open.ts';
import { verifyLedger } from '../agent/ledger/verify.ts';
import { chainHead } from '../agent/ledger/audit.ts';
import { LedgerWatch } from '../agent/ledger/watch.ts';
import { DEV_KEY_ID } from '../agent/roster/devKey.ts';
import { loadTrustedKeys, verifyRoster } from '../agent/roster/signedRoster.ts';
import { makeResidents } from '../agent/sim/residents.ts';
import { virtualRoster } from '../agent/sim/roster.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const target = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'bench-ledger-'));
try {
  const dataDir = join(dir, 'data');
  const keyFile = join(dir, 'ledger.key');
  initLedgerFiles({ dataDir, keyFile });
  const db = new Database(join(dataDir, 'ledger.sqlite'));
  configureDatabase(db);
  let clock = Date.parse('2026-01-05T01:00:00Z');
  const ledger = new Ledger(db, () => new Date((clock += 1000)), 'Asia/Jakarta', { chainKey: loadChainKey(keyFile) });
  // A realistic mix: a roster of 2 000, custody moves for each, then state rows up to the target.
  const residents = makeResidents(7, 2000);
  ledger.importRoster(verifyRoster(virtualRoster(residents, 'kec-demo', 'BENCH', '2026-01-04T00:00:00Z'), loadTrustedKeys([DEV_KEY_ID])));
  const built = performance.now();
  ledger.atomically(() => {
    let n = (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
    for (let i = 0; n < target; i++, n++) ledger.audit('tx_state', `tx-${i % 5000}`, { state: 'VERIFY_FINGER' });
  });
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
  console.log(`built ${rows} audit rows in ${Math.round(performance.now() - built)} ms; ledger ${(statSync(join(dataDir, 'ledger.sqlite')).size / 1e6).toFixed(1)} MB`);
  db.close();

  for (let run = 1; run <= 3; run++) {
    const ro = new Database(join(dataDir, 'ledger.sqlite'), { readonly: true });
    const t0 = performance.now();
    const r = verifyLedger(ro, loadChainKey(keyFile));
    const ms = performance.now() - t0;
    ro.close();
    console.log(`verifyLedger run ${run}: ${r.ok ? 'OK' : 'TAMPERED'} ${r.auditRows} audit rows, ${r.custodyEvents} custody events in ${ms.toFixed(0)} ms (${((ms * 1000) / r.auditRows).toFixed(1)} µs/row)`);
  }

  // The running agent's re-check, on its own connection as the counter holds it.
  const live = new Database(join(dataDir, 'ledger.sqlite'));
  configureDatabase(live);
  const key = loadChainKey(keyFile);
  const liveLedger = new Ledger(live, () => new Date((clock += 1000)), 'Asia/Jakarta', { chainKey: key });
  const watch = new LedgerWatch(live, key, chainHead(live));
  const show = (what: string) => {
    const r = watch.check();
    console.log(`re-check ${what}: ${r.ok ? 'OK' : 'TAMPERED'} (${r.kind}) in ${r.ms.toFixed(2)} ms`);
  };
  show('with nothing new');
  // About one resident's transaction: a dozen state rows and custody moves.
  liveLedger.atomically(() => {
    for (let i = 0; i < 12; i++) liveLedger.audit('tx_state', 'tx-bench', { state: 'VERIFY_FINGER' });
  });
  show('after 12 new rows');
  const other = new Database(join(dataDir, 'ledger.sqlite'));
  configureDatabase(other);
  new Ledger(other, () => new Date((clock += 1000)), 'Asia/Jakarta', { chainKey: key }).audit('bench_note', null, {});
  other.close();
  show('after another connection wrote (full)');
  live.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
