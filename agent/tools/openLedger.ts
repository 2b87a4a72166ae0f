import type { Database } from 'better-sqlite3';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { Ledger } from '../ledger/ledger.ts';
import { openToolLedger } from '../ledger/open.ts';
import { exitCodeFor } from './exitCodes.ts';
import { isSqliteError, ledgerErrorFrom } from '../ledger/errors.ts';

/**
 * The ledger of the configured counter, for the CLI tools on the box (it must exist: see `init`),
 * and the database file's handle for the tables other owners keep in it (the print queue's).
 */
export function openLedger(configPath: string | undefined): { config: Config; ledger: Ledger; db: Database; close(): void } {
  const config = loadConfig(configPath);
  const file = openToolLedger({ dataDir: config.dataDir, keyFile: config.ledger.keyFile });
  try {
    return { config, ledger: new Ledger(file.db, () => new Date(), config.site.timezone, { chainKey: file.key }), db: file.db, close: () => file.close() };
  } catch (err) {
    file.close();
    throw err;
  }
}

/**
 * Runs a tool body: a coded error becomes one plain line (message and code, never a stack trace)
 * and the exit status of its code (exitCodes.ts).
 */
export async function tool(body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (caught) {
    // SQLITE_FULL, SQLITE_READONLY… from a write become DISK_FULL, DATA_DIR_READ_ONLY…
    const err = isSqliteError(caught) ? ledgerErrorFrom(caught, 'ledger') : caught;
    const code = (err as { code?: unknown }).code;
    const coded = typeof code === 'string' ? code : null;
    console.error(`${(err as Error).message}${coded ? ` (${coded})` : ''}`);
    return exitCodeFor(coded);
  }
}
