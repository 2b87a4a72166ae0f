import { createHash, createHmac } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ChainKey } from './chainKey.ts';

/**
 * The audit trail is a hash chain: each row's hash covers its own fields and the previous row's
 * hash, so an edited, deleted or reordered row breaks every hash after it (verify-ledger). On a
 * sealed ledger (created by `ektp-agent init`) the hash is an HMAC-SHA-256 under the device's
 * chain key, kept outside the data directory, so whoever holds only the file cannot re-chain it.
 * Audit data never holds a NIK or a name: residents are referred to by ledger id.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prev: string, id: number, at: string, action: string, txId: string | null, data: string, key?: ChainKey | null): string {
  const h = key ? createHmac('sha256', key.bytes) : createHash('sha256');
  return h.update(JSON.stringify([prev, id, at, action, txId, data])).digest('hex');
}

/**
 * The seal of a ledger: which key keys its chain. A sealed ledger is keyed from its first audit
 * row (init seals it before anything is written), so there is no "keyed from row N" for an
 * attacker to move.
 */
export interface ChainSeal {
  readonly keyId: string;
}

export function readSeal(db: Database): ChainSeal | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'").get();
  if (!has) return null;
  const row = db.prepare("SELECT value FROM ledger_meta WHERE key = 'chain_key_id'").get() as { value: string } | undefined;
  return row ? { keyId: row.value } : null;
}

/** The newest audit row: the value anchored outside the box (MQTT health, daily report, berita acara). */
export function chainHead(db: Database): { id: number; hash: string } {
  const last = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  return last ?? { id: 0, hash: GENESIS_HASH };
}

export function appendAudit(db: Database, at: string, action: string, txId: string | null, data: Record<string, unknown>, key?: ChainKey | null): void {
  const last = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  const id = (last?.id ?? 0) + 1;
  const prev = last?.hash ?? GENESIS_HASH;
  const json = JSON.stringify(data);
  db.prepare('INSERT INTO audit (id, at, action, tx_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    at,
    action,
    txId,
    json,
    prev,
    auditHash(prev, id, at, action, txId, json, key),
  );
}

export interface ChainCheck {
  readonly ok: boolean;
  readonly rows: number;
  /** First row id where the chain breaks, with why. */
  readonly brokenAt?: { readonly id: number; readonly why: string };
  /** The last row that verified (the whole walk's head when ok): where the next walk may start. */
  readonly head: ChainHead;
}

export interface ChainHead {
  readonly id: number;
  readonly hash: string;
}

/**
 * Walks the chain. On a sealed ledger the key must be given and be the ledger's own. A key given for a ledger without a seal is a finding: a
 * sealed ledger whose seal was removed and chain re-hashed with the public algorithm looks so.
 * Every row is an HMAC under the key on a sealed ledger.
 */
export function verifyAuditChain(db: Database, key?: ChainKey | null): ChainCheck {
  return verifyAuditChainFrom(db, key, { id: 0, hash: GENESIS_HASH });
}

/**
 * The same walk, starting after a row already verified (`from`, e.g. the previous walk's head):
 * that row must still be there with the same hash, and every row after it must chain on. What the
 * running agent uses to re-check cheaply (agent/ledger/watch.ts); from the genesis it is the full walk.
 */
export function verifyAuditChainFrom(db: Database, key: ChainKey | null | undefined, from: ChainHead): ChainCheck {
  const seal = readSeal(db);
  const broken = (id: number, why: string, rows = 0): ChainCheck => ({ ok: false, rows, brokenAt: { id, why }, head: from });
  if (key && !seal) return broken(0, 'the ledger carries no chain seal, but this device seals its ledger (seal removed?)');
  if (seal && !key) return broken(0, 'the ledger is sealed: its chain key is needed to verify it');
  if (seal && key && seal.keyId !== key.id) return broken(0, `the ledger was sealed with key ${seal.keyId}, not this device's key ${key.id}`);
  if (from.id > 0) {
    const anchor = db.prepare('SELECT hash FROM audit WHERE id = ?').get(from.id) as { hash: string } | undefined;
    if (!anchor) return broken(from.id, 'a row verified earlier is gone (rows removed)');
    if (anchor.hash !== from.hash) return broken(from.id, 'a row verified earlier has another hash now (row edited)');
  }
  const rows = db.prepare('SELECT id, at, action, tx_id, data, prev_hash, hash FROM audit WHERE id > ? ORDER BY id').iterate(from.id) as Iterable<{
    id: number;
    at: string;
    action: string;
    tx_id: string | null;
    data: string;
    prev_hash: string;
    hash: string;
  }>;
  let prev = from.hash;
  let expectedId = from.id + 1;
  let count = 0;
  let head: ChainHead = from;
  for (const r of rows) {
    count += 1;
    const fail = (why: string): ChainCheck => ({ ok: false, rows: count, brokenAt: { id: r.id, why }, head });
    if (r.id !== expectedId) return fail(`row ${expectedId} is missing`);
    if (r.prev_hash !== prev) return fail('previous hash does not match (row removed or reordered)');
    if (auditHash(prev, r.id, r.at, r.action, r.tx_id, r.data, seal ? key : null) !== r.hash) return fail('row content does not match its hash (row edited)');
    prev = r.hash;
    head = { id: r.id, hash: r.hash };
    expectedId += 1;
  }
  return { ok: true, rows: count, head };
}
