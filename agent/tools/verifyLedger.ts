import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadChainKey, type ChainKey } from '../ledger/chainKey.ts';
import { LedgerError, ledgerErrorFrom } from '../ledger/errors.ts';
import { loadConfig } from '../config/load.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { readSeal } from '../ledger/audit.ts';
import { EXIT } from './exitCodes.ts';
import { tool } from './openLedger.ts';
import { statSync } from 'node:fs';

const USAGE = 'usage: ektp-agent verify-ledger --db FILE [--key FILE | --config FILE] [--json]';

/**
 * `ektp-agent verify-ledger`: exit 0 when the audit chain and custody records agree, 3 when
 * they do not (TAMPERED), 4 when the file cannot be read at all, 9 when the chain key is missing.
 * A sealed ledger needs its chain key (--key, or ledger.keyFile of --config).
 */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, key: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.db) {
    console.error(USAGE);
    return EXIT.USAGE_OR_CONFIG;
  }
  const dbPath = values.db;
  return tool(() => {
    let key: ChainKey | null = null;
    if (values.key) key = loadChainKey(values.key);
    else if (values.config) key = loadChainKey(loadConfig(values.config).ledger.keyFile);
    let size: number;
    try {
      size = statSync(dbPath).size;
    } catch {
      throw new LedgerError('LEDGER_MISSING', `${dbPath}: no such file`);
    }
    if (size === 0) throw new LedgerError('LEDGER_UNREADABLE', `${dbPath}: empty file (0 bytes)`);
    let db: Database.Database;
    let result;
    try {
      db = new Database(dbPath, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw ledgerErrorFrom(err, dbPath);
    }
    try {
      if (!key && readSeal(db)) throw new LedgerError('LEDGER_KEY_MISSING', `${dbPath} is sealed: give its chain key (--key FILE, or --config FILE)`);
      result = verifyLedger(db, key);
    } catch (err) {
      if (err instanceof LedgerError) throw err;
      // Not a ledger (no audit table), or unreadable pages: unreadable, not tampered.
      throw new LedgerError('LEDGER_UNREADABLE', `${dbPath}: cannot be read as a ledger (${(err as Error).message})`, { cause: err });
    } finally {
      db.close();
    }
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`${result.ok ? 'OK' : 'TAMPERED'}: ${result.auditRows} audit rows, ${result.custodyEvents} custody events checked${key ? `, sealed with key ${key.id}` : ''}`);
      for (const p of result.problems) console.log(`  - ${p}`);
    }
    return result.ok ? EXIT.OK : EXIT.LEDGER_TAMPERED;
  });
}
