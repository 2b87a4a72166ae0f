import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/**
 * The audit trail is a hash chain: each row's hash covers its own fields and the previous row's
 * hash, so an edited, deleted or reordered row breaks every hash after it (verify-ledger).
 * Audit data never holds a NIK or a name: residents are referred to by ledger id.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prev: string, id: number, at: string, action: string, txId: string | null, data: string): string {
  return createHash('sha256')
    .update(JSON.stringify([prev, id, at, action, txId, data]))
    .digest('hex');
}

export function appendAudit(db: Database, at: string, action: string, txId: string | null, data: Record<string, unknown>): void {
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
    auditHash(prev, id, at, action, txId, json),
  );
}

export interface ChainCheck {
  readonly ok: boolean;
  readonly rows: number;
  /** First row id where the chain breaks, with why. */
  readonly brokenAt?: { readonly id: number; readonly why: string };
}

export function verifyAuditChain(db: Database): ChainCheck {
  const rows = db.prepare('SELECT id, at, action, tx_id, data, prev_hash, hash FROM audit ORDER BY id').iterate() as Iterable<{
    id: number;
    at: string;
    action: string;
    tx_id: string | null;
    data: string;
    prev_hash: string;
    hash: string;
  }>;
  let prev = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  for (const r of rows) {
    count += 1;
    if (r.id !== expectedId) return { ok: false, rows: count, brokenAt: { id: r.id, why: `row ${expectedId} is missing` } };
    if (r.prev_hash !== prev) return { ok: false, rows: count, brokenAt: { id: r.id, why: 'previous hash does not match (row removed or reordered)' } };
    if (auditHash(prev, r.id, r.at, r.action, r.tx_id, r.data) !== r.hash) {
      return { ok: false, rows: count, brokenAt: { id: r.id, why: 'row content does not match its hash (row edited)' } };
    }
    prev = r.hash;
    expectedId += 1;
  }
  return { ok: true, rows: count };
}
