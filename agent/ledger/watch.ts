import type { Database } from 'better-sqlite3';
import { verifyAuditChainFrom, type ChainHead } from './audit.ts';
import type { ChainKey } from './chainKey.ts';
import { verifyLedger } from './verify.ts';

export interface LedgerRecheck {
  readonly ok: boolean;
  /** 'full': another connection wrote, everything was re-verified; 'chain': only the rows since the last check. */
  readonly kind: 'full' | 'chain';
  readonly problems: readonly string[];
  readonly ms: number;
}

/**
 * Re-verifies the ledger under the running agent. The start-up check (assemble.ts) proves the file
 * as it was at boot; the lock on the data directory stops a second agent, not someone with the
 * sqlite3 shell. What such an edit looks like from here: SQLite's `data_version` moves, which it
 * does only for commits by *another* connection. So each check costs one pragma and the chain rows
 * written since the last one (anchored on the last verified row, so a removed or rewritten tail
 * shows too), and only when another connection committed is the whole ledger verified again:
 * custody, verdicts, residents and batches against the chain, where an edit of a verdict or an
 * item's state shows. The legitimate other writers are the `ektp-agent` tools (import-roster,
 * batch, close-day, retention), which write through the same keyed chain and verify clean.
 */
export class LedgerWatch {
  private head: ChainHead;
  private dataVersion: number;

  constructor(
    private readonly db: Database,
    private readonly key: ChainKey | null,
    /** The head the start-up verification ended on. */
    verifiedHead: ChainHead,
  ) {
    this.head = verifiedHead;
    this.dataVersion = this.readDataVersion();
  }

  /** `full`: verify everything whatever data_version says (e.g. after the case was open). */
  check(opts: { full?: boolean } = {}): LedgerRecheck {
    const started = performance.now();
    const version = this.readDataVersion();
    const foreign = opts.full === true || version !== this.dataVersion;
    const chain = verifyAuditChainFrom(this.db, this.key, this.head);
    const problems: string[] = [];
    if (!chain.ok && chain.brokenAt) problems.push(`audit row ${chain.brokenAt.id}: ${chain.brokenAt.why}`);
    if (foreign && chain.ok) problems.push(...verifyLedger(this.db, this.key).problems);
    // A clean check moves the anchor on; a broken one keeps the last good head for the record.
    if (problems.length === 0) {
      this.head = chain.head;
      this.dataVersion = version;
    }
    return { ok: problems.length === 0, kind: foreign ? 'full' : 'chain', problems, ms: performance.now() - started };
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
