import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LedgerError, ledgerErrorFrom } from './errors.ts';

/**
 * One agent per data directory. Two agents on one ledger corrupt each other: the second closes
 * the first's live transaction as "interrupted" and deletes its outbox rows. The lock is an
 * EXCLUSIVE SQLite transaction on `agent.lock`, held for the life of the process: SQLite's POSIX
 * locks are released by the kernel when the process dies (no stale pid file after a power cut),
 * and SQLite's own per-inode bookkeeping refuses a second holder within one process too.
 */
export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, 'agent.lock');
  // Said first and plainly: SQLite reports a read-only mount as "unable to open database file".
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LedgerError('LEDGER_MISSING', `${dataDir} does not exist; a new box creates it with \`ektp-agent init\``, { cause: err });
    throw new LedgerError('DATA_DIR_READ_ONLY', `${dataDir} is not writable (${code}): read-only file system or wrong owner`, { cause: err });
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (err) {
    throw ledgerErrorFrom(err, path);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    const mapped = ledgerErrorFrom(err, path);
    if (mapped instanceof LedgerError && mapped.code === 'LEDGER_IN_USE') {
      throw new LedgerError('LEDGER_IN_USE', `${dataDir} is in use by another ektp-agent (only one agent per data directory)`, { cause: err });
    }
    throw mapped;
  }
  return {
    release() {
      if (db.open) db.close();
    },
  };
}
