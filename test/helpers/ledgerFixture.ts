import Database from 'better-sqlite3';
import { Ledger } from '../../agent/ledger/ledger.ts';
import { configureDatabase } from '../../agent/ledger/migrate.ts';
import { loadTrustedKeys, verifyRoster } from '../../agent/roster/signedRoster.ts';
import { DEV_KEY_ID } from '../../agent/roster/devKey.ts';
import { makeResidents, type VirtualResident } from '../../agent/sim/residents.ts';
import { virtualRoster } from '../../agent/sim/roster.ts';

/** An in-memory ledger with `n` virtual residents imported from a dev-signed roster. */
export function ledgerWithRoster(n: number, opts: { seed?: number; path?: string } = {}): { ledger: Ledger; residents: VirtualResident[]; db: Database.Database } {
  const db = new Database(opts.path ?? ':memory:');
  configureDatabase(db);
  let clock = Date.parse('2026-11-27T01:00:00.000Z');
  const ledger = new Ledger(db, () => new Date((clock += 1000)), 'Asia/Jakarta');
  const residents = makeResidents(opts.seed ?? 1, n);
  ledger.importRoster(verifyRoster(virtualRoster(residents, 'kec-demo', 'B-1', '2026-11-26T00:00:00.000Z'), loadTrustedKeys([DEV_KEY_ID])));
  return { ledger, residents, db };
}
