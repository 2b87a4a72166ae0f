import type { Database } from 'better-sqlite3';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { Ledger } from '../ledger/ledger.ts';
import { openToolLedger } from '../ledger/open.ts';
import { exitCodeFor } from './exitCodes.ts';
import { isSqliteError, LedgerError, ledgerErrorFrom } from '../ledger/errors.ts';
import { verifyLedger } from '../ledger/verify.ts';

/**
 * What a command does with the ledger. Every caller says it, so a new tool cannot write past the
 * guard below by forgetting it: 'write' for anything that records (custody moves, batches, rosters,
 * releases, purges), 'read' for what only reads it (reports, lists, the record of processing).
 */
export type LedgerAccess = 'read' | 'write';

/** The officer's line when a writing command meets a ledger that no longer verifies (LEDGER_TAMPERED). */
export function tamperedRefusal(problems: readonly string[]): string {
  return (
    `Perintah tidak dijalankan: buku besar diubah di luar aplikasi (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}). ` +
    'Tidak ada yang dicatat. Hubungi Dinas; `ektp-agent verify-ledger` menunjukkan bagian yang diubah, laporan tetap dapat dibuat.'
  );
}

/**
 * The ledger of the configured counter, for the CLI tools on the box (it must exist: see `init`),
 * and the database file's handle for the tables other owners keep in it (the print queue's).
 *
 * A command that writes gets the ledger only when its audit chain and custody records verify:
 * every custody event makes its item's state match its last event again, and a purge erases rows,
 * so a write on an edited ledger buries the edit verify-ledger finds (the running agent refuses
 * the same, and a restart refuses the file). Reads stay open on such a ledger: the supervisor and
 * the technician need the reports to find out what happened.
 */
export function openLedger(configPath: string | undefined, access: LedgerAccess): { config: Config; ledger: Ledger; db: Database; close(): void } {
  const config = loadConfig(configPath);
  const file = openToolLedger({ dataDir: config.dataDir, keyFile: config.ledger.keyFile });
  try {
    const ledger = new Ledger(file.db, () => new Date(), config.site.timezone, { chainKey: file.key });
    if (access === 'write') {
      const check = verifyLedger(file.db, file.key);
      if (!check.ok) throw new LedgerError('LEDGER_TAMPERED', tamperedRefusal(check.problems));
    }
    return { config, ledger, db: file.db, close: () => file.close() };
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
