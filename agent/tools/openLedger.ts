import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { Ledger } from '../ledger/ledger.ts';
import { configureDatabase } from '../ledger/migrate.ts';

/**
 * The ledger of the configured counter, for the CLI tools on the box, and the database file's
 * handle for the tables other owners keep in it (the print queue's).
 */
export function openLedger(configPath: string | undefined): { config: Config; ledger: Ledger; db: Database.Database; close(): void } {
  const config = loadConfig(configPath);
  const db = new Database(join(config.dataDir, 'ledger.sqlite'), { fileMustExist: true });
  configureDatabase(db);
  return { config, ledger: new Ledger(db, () => new Date(), config.site.timezone), db, close: () => db.close() };
}

/** Runs a tool body, turning coded errors into one plain line and exit status 1. */
export async function tool(body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const code = (err as { code?: string }).code;
    console.error(`${(err as Error).message}${code ? ` (${code})` : ''}`);
    return 1;
  }
}
