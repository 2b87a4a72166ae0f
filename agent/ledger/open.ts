import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createChainKey, loadChainKey, type ChainKey } from './chainKey.ts';
import { LedgerError, ledgerErrorFrom } from './errors.ts';
import { lockDataDir, type DataDirLock } from './lock.ts';
import { Ledger } from './ledger.ts';
import { configureDatabase } from './migrate.ts';

export const LEDGER_FILE = 'ledger.sqlite';

export interface LedgerPlace {
  readonly dataDir: string;
  readonly keyFile: string;
}

export interface OpenedLedgerFile {
  readonly db: Database.Database;
  readonly key: ChainKey;
  readonly path: string;
  close(): void;
}

/** True when a non-empty ledger file is there (an empty one is not a ledger: see requireExisting). */
export function ledgerExists(dataDir: string): boolean {
  try {
    return statSync(join(dataDir, LEDGER_FILE)).size > 0;
  } catch {
    return false;
  }
}

/**
 * A ledger that is missing or empty is never replaced silently: an empty file is what a lost
 * ledger looks like after a bad SD card or a careless `> ledger.sqlite`, and a fresh one would
 * start the custody count at zero with the real cards still in the drawer.
 */
function requireExisting(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new LedgerError('LEDGER_MISSING', `${path} does not exist; a new box creates it once with \`ektp-agent init\``);
  }
  if (size === 0) throw new LedgerError('LEDGER_UNREADABLE', `${path} is empty (0 bytes): a lost ledger is not replaced silently; keep the file and call a technician`);
}

function open(path: string, opts: { readonly?: boolean; create?: boolean } = {}): Database.Database {
  try {
    const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: !opts.create });
    if (!opts.readonly) configureDatabase(db);
    // A file that is not SQLite fails here, not at the first write during a transaction.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    throw ledgerErrorFrom(err, path);
  }
}

/**
 * What the agent opens: the data directory locked for this process, the ledger that must exist,
 * the chain key from outside the data directory. Every failure is a LedgerError with its code.
 */
export function openAgentLedger(place: LedgerPlace, opts: { lock?: boolean } = {}): OpenedLedgerFile & { readonly lock: DataDirLock | null } {
  const lock = opts.lock === false ? null : lockDataDir(place.dataDir);
  try {
    const path = join(place.dataDir, LEDGER_FILE);
    requireExisting(path);
    const key = loadChainKey(place.keyFile);
    const db = open(path);
    return {
      db,
      key,
      path,
      lock,
      close() {
        if (db.open) db.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** For the CLI tools: the same checks, no agent lock (SQLite's own locking orders their writes). */
export function openToolLedger(place: LedgerPlace, opts: { readonly?: boolean } = {}): OpenedLedgerFile {
  const path = join(place.dataDir, LEDGER_FILE);
  requireExisting(path);
  const key = loadChainKey(place.keyFile);
  const db = open(path, { readonly: opts.readonly });
  return { db, key, path, close: () => db.open && db.close() };
}

/**
 * The explicit first-run step (`ektp-agent init`, used by scripts/install, run-sim and the tests):
 * creates the data directory (0700), the chain key when there is none (0600) and an empty sealed
 * ledger. An existing ledger is left alone (LEDGER_EXISTS), an empty file is refused.
 */
export function initLedgerFiles(place: LedgerPlace): { created: boolean; keyCreated: boolean; key: ChainKey; path: string } {
  try {
    mkdirSync(place.dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    // A recursive mkdir on a read-only mount reports ENOENT; ask the nearest existing parent.
    if (!writableAncestor(place.dataDir)) throw new LedgerError('DATA_DIR_READ_ONLY', `${place.dataDir} cannot be created: read-only file system or wrong owner`, { cause: err });
    throw ledgerErrorFrom(err, place.dataDir);
  }
  const path = join(place.dataDir, LEDGER_FILE);
  const lock = lockDataDir(place.dataDir);
  try {
    if (existsSync(path)) {
      requireExisting(path);
      throw new LedgerError('LEDGER_EXISTS', `${path} already exists; init never replaces a ledger`);
    }
    const keyCreated = !existsSync(place.keyFile);
    const key = keyCreated ? createChainKey(place.keyFile) : loadChainKey(place.keyFile);
    const db = open(path, { create: true });
    try {
      new Ledger(db, () => new Date(), 'UTC', { chainKey: key }); // schema and seal, in one go
    } finally {
      db.close();
    }
    return { created: true, keyCreated, key, path };
  } finally {
    lock.release();
  }
}

function writableAncestor(path: string): boolean {
  let dir = resolve(path);
  while (!existsSync(dir)) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
