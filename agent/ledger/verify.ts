import type { Database } from 'better-sqlite3';
import { verifyAuditChain } from './audit.ts';
import type { ChainKey } from './chainKey.ts';
import { Batches, batchDigest } from './batches.ts';
import { residentDigest, residentPublicDigest } from './digest.ts';
import { Ledger } from './ledger.ts';

export interface LedgerVerification {
  readonly ok: boolean;
  readonly auditRows: number;
  readonly custodyEvents: number;
  readonly problems: readonly string[];
}

/**
 * Tamper evidence for `ektp-agent verify-ledger`. The audit table is a hash chain (an edited,
 * deleted or reordered audit row breaks it); every other record that matters is checked against
 * the chain: each custody event must equal, in order, the audit entry written with it; each
 * item's state must be its last event; each closed transaction's outcome must be the one the
 * audit recorded; each resident row must match the digest recorded at import.
 */
export function verifyLedger(db: Database, key?: ChainKey | null): LedgerVerification {
  const problems: string[] = [];
  const chain = verifyAuditChain(db, key);
  if (!chain.ok && chain.brokenAt) problems.push(`audit row ${chain.brokenAt.id}: ${chain.brokenAt.why}`);

  const audits = db.prepare("SELECT id, action, tx_id, data FROM audit WHERE action IN ('custody', 'tx_closed', 'roster_imported') ORDER BY id").all() as {
    id: number;
    action: string;
    tx_id: string | null;
    data: string;
  }[];
  type CustodyAudit = { txId: string | null; item: number; kind: string; from: string | null; to: string; reason: string };
  const custodyAudit: CustodyAudit[] = audits
    .filter((a) => a.action === 'custody')
    .map((a) => ({ txId: a.tx_id, ...(JSON.parse(a.data) as Omit<CustodyAudit, 'txId'>) }));
  const events = db
    .prepare('SELECT e.id, e.item_id, e.from_state, e.to_state, e.tx_id, e.reason, i.kind FROM custody_events e JOIN items i ON i.id = e.item_id ORDER BY e.id')
    .all() as { id: number; item_id: number; from_state: string | null; to_state: string; tx_id: string | null; reason: string; kind: string }[];
  if (events.length !== custodyAudit.length) problems.push(`custody_events has ${events.length} rows, the audit recorded ${custodyAudit.length}`);
  events.forEach((e, i) => {
    const a = custodyAudit[i];
    if (!a) return;
    if (a.item !== e.item_id || a.kind !== e.kind || a.from !== e.from_state || a.to !== e.to_state || a.reason !== e.reason || a.txId !== e.tx_id) {
      problems.push(`custody event ${e.id} differs from its audit entry`);
    }
  });

  const lastByItem = new Map<number, string>();
  for (const e of events) lastByItem.set(e.item_id, e.to_state);
  const items = db.prepare('SELECT id, state FROM items').all() as { id: number; state: string }[];
  for (const it of items) {
    if (lastByItem.get(it.id) !== it.state) problems.push(`item ${it.id}: state does not match its custody events`);
  }
  if (items.length !== lastByItem.size) problems.push(`items has ${items.length} rows, custody events cover ${lastByItem.size}`);

  const closedAudit = new Map(audits.filter((a) => a.action === 'tx_closed').map((a) => [a.tx_id, JSON.parse(a.data) as { outcome: string; reason: string | null }]));
  const closed = db.prepare('SELECT id, outcome, reason FROM transactions WHERE closed_at IS NOT NULL').all() as { id: string; outcome: string; reason: string | null }[];
  for (const tx of closed) {
    const a = closedAudit.get(tx.id);
    if (!a || a.outcome !== tx.outcome || a.reason !== tx.reason) problems.push(`transaction ${tx.id}: outcome differs from the audit`);
  }
  if (closed.length !== closedAudit.size) problems.push(`${closed.length} closed transactions, the audit recorded ${closedAudit.size}`);

  const digests = new Map<number, { full: string; public?: string }>();
  for (const a of audits.filter((x) => x.action === 'roster_imported')) {
    for (const [id, full, pub] of (JSON.parse(a.data) as { residents?: [number, string, string?][] }).residents ?? []) digests.set(id, { full, public: pub });
  }
  // A purge is only a purge when the audit says so: setting purged_at by hand hides nothing.
  const purgedByAudit = new Set<number>();
  for (const a of db.prepare("SELECT data FROM audit WHERE action = 'personal_data_purged'").all() as { data: string }[]) {
    for (const id of (JSON.parse(a.data) as { residents?: number[] }).residents ?? []) purgedByAudit.add(id);
  }
  type ResidentRow = Parameters<typeof residentDigest>[0] & { purged_at: string | null };
  const residents = db.prepare('SELECT id, nik, name, letter_no, card_uid, validation_json, purged_at FROM residents').all() as ResidentRow[];
  for (const r of residents) {
    const d = digests.get(r.id);
    if (r.purged_at === null) {
      if (d?.full !== residentDigest(r)) problems.push(`resident ${r.id}: row differs from the one imported`);
      continue;
    }
    if (!purgedByAudit.has(r.id)) problems.push(`resident ${r.id}: marked purged, but no purge is in the audit`);
    if (r.nik !== null || r.name !== null || r.validation_json !== null) problems.push(`resident ${r.id}: marked purged, but personal data is still there`);
    if (d?.public !== undefined && d.public !== residentPublicDigest(r)) problems.push(`resident ${r.id}: purged row differs from the one imported`);
  }

  const signedAudit = new Map(
    (db.prepare("SELECT data FROM audit WHERE action = 'batch_signed'").all() as { data: string }[]).map((a) => {
      const d = JSON.parse(a.data) as { batch: number; digest: string };
      return [d.batch, d.digest];
    }),
  );
  const batches = new Batches(new Ledger(db, () => new Date(), 'UTC', { readonly: true }));
  for (const b of batches.list()) {
    if (!b.signedAt) continue;
    if (signedAudit.get(b.id) !== b.digest || batchDigest(b) !== b.digest) problems.push(`batch ${b.number}: signed content was altered`);
  }
  if (signedAudit.size !== batches.list().filter((b) => b.signedAt).length) problems.push('signed batches differ from the audit');

  return { ok: problems.length === 0, auditRows: chain.rows, custodyEvents: events.length, problems };
}
