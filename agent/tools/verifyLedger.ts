import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { verifyLedger } from '../ledger/verify.ts';

/** `ektp-agent verify-ledger --db FILE`: exit 0 when the audit chain and custody records agree. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (!values.db) {
    console.error('usage: ektp-agent verify-ledger --db FILE [--json]');
    return 2;
  }
  if (!existsSync(values.db)) {
    console.error(`${values.db}: no such file`);
    return 2;
  }
  const db = new Database(values.db, { readonly: true, fileMustExist: true });
  try {
    const result = verifyLedger(db);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`${result.ok ? 'OK' : 'TAMPERED'}: ${result.auditRows} audit rows, ${result.custodyEvents} custody events checked`);
      for (const p of result.problems) console.log(`  - ${p}`);
    }
    return result.ok ? 0 : 1;
  } finally {
    db.close();
  }
}
