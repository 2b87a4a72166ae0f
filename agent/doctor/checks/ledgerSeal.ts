import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadChainKey } from '../../ledger/chainKey.ts';
import { verifyLedger } from '../../ledger/verify.ts';
import { verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'ledger';

/** The ledger's sealed audit chain and custody records, verified as at start-up (read-only). */
export async function checkLedgerSeal(ctx: DoctorContext): Promise<CheckResult> {
  const l = ctx.ledger!;
  if (!existsSync(l.path)) return verdict(CHECK, 'LEDGER_NOT_INITIALISED', `${l.path} missing: run ektp-agent init`);
  let key;
  try {
    key = loadChainKey(l.keyFile);
  } catch (err) {
    return verdict(CHECK, 'LEDGER_KEY_MISSING', (err as Error).message);
  }
  const db = new Database(l.path, { readonly: true, fileMustExist: true });
  try {
    const started = performance.now();
    const r = verifyLedger(db, key);
    const ms = Math.round(performance.now() - started);
    return r.ok
      ? verdict(CHECK, 'LEDGER_SEALED_OK', `${r.auditRows} audit rows in ${ms} ms, key ${key.id}`)
      : verdict(CHECK, 'LEDGER_TAMPERED', r.problems.slice(0, 5).join('; '));
  } finally {
    db.close();
  }
}
