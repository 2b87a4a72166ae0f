import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LedgerError } from './errors.ts';

/**
 * The per-device key of the audit chain. Each audit row's hash is an HMAC under this key, so
 * someone holding only the ledger file (a copy, a backup, the data directory) cannot re-chain
 * edited rows: they would need the key, which lives outside the data directory, readable only by
 * the service user (docs/appliance.md, "Ledger seal"). 32 random bytes, stored as hex.
 */
export interface ChainKey {
  readonly bytes: Buffer;
  /** Names the key without revealing it; recorded in the ledger so a wrong key is told from tampering. */
  readonly id: string;
}

function keyOf(bytes: Buffer): ChainKey {
  return { bytes, id: createHmac('sha256', bytes).update('ektp-ledger-key-id/1').digest('hex').slice(0, 16) };
}

export function loadChainKey(path: string): ChainKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LedgerError('LEDGER_KEY_MISSING', `ledger key ${path} cannot be read (${code ?? (err as Error).message}); a new box gets one from \`ektp-agent init\``, {
      cause: err,
    });
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new LedgerError('LEDGER_KEY_MISSING', `ledger key ${path} is not 64 hex digits`);
  // Root reads anything; the check is for the service user, whom a 0644 key would not protect.
  if ((statSync(path).mode & 0o077) !== 0) throw new LedgerError('LEDGER_KEY_MISSING', `ledger key ${path} is readable by others; it must be mode 0600`);
  return keyOf(Buffer.from(text, 'hex'));
}

/** Creates the key file (0600, refusing to overwrite one) and returns it. Only `ektp-agent init` calls this. */
export function createChainKey(path: string): ChainKey {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const bytes = randomBytes(32);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${bytes.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return keyOf(bytes);
}
