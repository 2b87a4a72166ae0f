import { statfsSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { DeviceError } from '../../drivers/deviceError.ts';

/**
 * Why the ledger cannot be used. Each is its own exit status of the CLI (exitCodes.ts) and its own
 * start-up refusal, so a script and a technician can tell a tampered ledger from a full disk.
 */
export type LedgerErrorCode =
  | 'LEDGER_MISSING'
  | 'LEDGER_EXISTS'
  | 'LEDGER_IN_USE'
  | 'LEDGER_UNREADABLE'
  | 'LEDGER_TAMPERED'
  | 'LEDGER_KEY_MISSING'
  | 'LEDGER_KEY_MISMATCH'
  | 'DATA_DIR_READ_ONLY'
  | 'DISK_FULL'
  | 'CLOCK_NOT_SYNCED'
  | 'CLOCK_IMPLAUSIBLE';

export class LedgerError extends DeviceError<LedgerErrorCode> {}

/**
 * Maps what SQLite and the file system say to a ledger code; anything else is returned unchanged.
 * better-sqlite3 puts the extended result code (SQLITE_READONLY_DBMOVED…) in `code`.
 */
export function ledgerErrorFrom(err: unknown, what: string): unknown {
  if (err instanceof LedgerError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  const msg = (err as Error).message;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return new LedgerError('DISK_FULL', `${what}: the disk is full (${msg})`, { cause: err });
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new LedgerError('DATA_DIR_READ_ONLY', `${what}: the data directory is read-only (${msg})`, { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LedgerError('LEDGER_IN_USE', `${what}: another process holds the ledger (${msg})`, { cause: err });
  }
  // Opening a WAL ledger on a full disk fails creating -wal/-shm: SQLite says "disk I/O error".
  if ((code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) && isAbsolute(what) && noSpaceLeft(what)) {
    return new LedgerError('DISK_FULL', `${what}: the disk is full (${msg})`, { cause: err });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new LedgerError('LEDGER_UNREADABLE', `${what}: the ledger cannot be read (${msg})`, { cause: err });
  }
  return err;
}

/** better-sqlite3's error class, told by name so callers need not import the native module. */
export function isSqliteError(err: unknown): boolean {
  return err instanceof Error && err.name === 'SqliteError';
}

function noSpaceLeft(path: string): boolean {
  try {
    return statfsSync(dirname(path)).bavail === 0;
  } catch {
    return false;
  }
}
