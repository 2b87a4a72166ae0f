import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { isCodedError } from '../../drivers/deviceError.ts';
import { loadConfig } from '../config/load.ts';
import { Ledger } from '../ledger/ledger.ts';
import { configureDatabase } from '../ledger/migrate.ts';
import { loadTrustedKeys, verifyRoster } from '../roster/signedRoster.ts';

/** `ektp-agent import-roster [--config FILE] ROSTER`: verify the signature, then import atomically. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) {
    console.error('usage: ektp-agent import-roster [--config FILE] ROSTER.json');
    return 2;
  }
  const config = loadConfig(values.config);
  const db = new Database(join(config.dataDir, 'ledger.sqlite'));
  try {
    configureDatabase(db);
    const ledger = new Ledger(db, () => new Date(), config.site.timezone);
    const verified = verifyRoster(JSON.parse(readFileSync(positionals[0], 'utf8')), loadTrustedKeys(config.roster.trustedKeys));
    const n = ledger.importRoster(verified);
    console.log(`imported ${n} entries of batch ${verified.payload.batchId}`);
    return 0;
  } catch (err) {
    console.error(`roster not imported: ${(err as Error).message}${isCodedError(err) ? ` (${err.code})` : ''}`);
    return 1;
  } finally {
    db.close();
  }
}
