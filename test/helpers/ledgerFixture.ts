import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { loadChainKey } from '../../agent/ledger/chainKey.ts';
import { initLedgerFiles } from '../../agent/ledger/open.ts';
import { Ledger } from '../../agent/ledger/ledger.ts';
import { configureDatabase } from '../../agent/ledger/migrate.ts';
import { loadTrustedKeys, verifyRoster } from '../../agent/roster/signedRoster.ts';
import { DEV_KEY_ID } from '../../agent/roster/devKey.ts';
import { makeResidents, type VirtualResident } from '../../agent/sim/residents.ts';
import { virtualRoster } from '../../agent/sim/roster.ts';

/**
 * An in-memory ledger with `n` virtual residents imported from a dev-signed roster. With `path`
 * (a `ledger.sqlite` in a data directory) it is made as a box makes it: `ektp-agent init`'s first
 * run, sealed with a chain key beside it (`ledger.key`, the simulated counter's default), so the
 * CLI tools open it like the real one.
 */
export function ledgerWithRoster(n: number, opts: { seed?: number; path?: string } = {}): { ledger: Ledger; residents: VirtualResident[]; db: Database.Database } {
  let chainKey = null;
  if (opts.path) {
    const place = { dataDir: dirname(opts.path), keyFile: join(dirname(opts.path), 'ledger.key') };
    if (!existsSync(opts.path)) initLedgerFiles(place);
    chainKey = loadChainKey(place.keyFile);
  }
  const db = new Database(opts.path ?? ':memory:');
  configureDatabase(db);
  let clock = Date.parse('2026-11-27T01:00:00.000Z');
  const ledger = new Ledger(db, () => new Date((clock += 1000)), 'Asia/Jakarta', { chainKey });
  const residents = makeResidents(opts.seed ?? 1, n);
  ledger.importRoster(verifyRoster(virtualRoster(residents, 'kec-demo', 'B-1', '2026-11-26T00:00:00.000Z'), loadTrustedKeys([DEV_KEY_ID])));
  return { ledger, residents, db };
}
