import type { Database } from 'better-sqlite3';
import { verifyAuditChainFrom, type ChainHead } from './audit.ts';
import type { ChainKey } from './chainKey.ts';
import { verifyLedger } from './verify.ts';
import { LedgerError, ledgerErrorFrom } from './errors.ts';
import type { Logger } from '../../drivers/logger.ts';

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

/**
 * The running agent's use of LedgerWatch, shared by the counter (agent/counter.ts) and the intake
 * desk (agent/intake/assemble.ts): a re-check on a timer and on demand, latched on the first
 * failure (a restart refuses the same ledger at start-up), which `onRefused` turns into the box's
 * own refusal, GANGGUAN and one `tamper` event.
 */
export class LedgerGuard {
  private refusedCode: 'LEDGER_TAMPERED' | 'LEDGER_UNREADABLE' | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly watch: LedgerWatch,
    private readonly opts: { intervalS: number; logger: Logger; onRefused: (code: 'LEDGER_TAMPERED' | 'LEDGER_UNREADABLE') => void },
  ) {}

  /** Set once the ledger stopped verifying; cleared only by a restart. */
  get refused(): 'LEDGER_TAMPERED' | 'LEDGER_UNREADABLE' | null {
    return this.refusedCode;
  }

  start(): void {
    // Every minute by default: a fleet engineer hears of an edit under the running agent within
    // that, and a check costs a pragma and the rows written since the last one.
    this.timer = setInterval(() => this.check('timer'), this.opts.intervalS * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  check(why: string, opts: { full?: boolean } = {}): LedgerRecheck | null {
    if (this.refusedCode) return null;
    const log = this.opts.logger;
    let result: LedgerRecheck;
    try {
      result = this.watch.check(opts);
    } catch (err) {
      // A table dropped or a page damaged under us: as unverifiable as an edited row.
      const mapped = ledgerErrorFrom(err, 'ledger');
      const code = mapped instanceof LedgerError && mapped.code === 'LEDGER_UNREADABLE' ? mapped.code : 'LEDGER_TAMPERED';
      log.error({ err, why, code }, 'ledger re-check failed: refusing new residents');
      this.refuse(code);
      return { ok: false, kind: 'full', problems: [(err as Error).message], ms: 0 };
    }
    if (result.ok) {
      log[result.kind === 'full' ? 'info' : 'debug']({ why, kind: result.kind, ms: Math.round(result.ms) }, 'ledger re-verified');
      return result;
    }
    log.error({ why, kind: result.kind, problems: result.problems.slice(0, 5) }, 'ledger no longer verifies (edited outside the agent): refusing new residents');
    this.refuse('LEDGER_TAMPERED');
    return result;
  }

  private refuse(code: 'LEDGER_TAMPERED' | 'LEDGER_UNREADABLE'): void {
    this.refusedCode = code;
    this.opts.onRefused(code);
  }
}
