/**
 * Start-up cost of the ledger seal: builds a sealed ledger with N audit rows (default 100 000,
 * the order of a year at a busy counter) and times what the agent does before serving:
 * verifyLedger (HMAC chain + custody + roster + batch checks). Prints figures; asserts nothing.
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
} finally {
  rmSync(dir, { recursive: true, force: true });
}
