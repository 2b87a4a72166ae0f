import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import { isDeviceError } from '../../drivers/deviceError.ts';
import { silentLogger, type Logger } from '../../drivers/logger.ts';
import { statusFault } from '../../drivers/printer/status.ts';
import { PrinterError, type Printer, type PrinterStatus, type SlipDocument } from '../../drivers/printer/types.ts';
import { applyMigrations } from '../ledger/migrate.ts';
import { reprintBanner } from '../slips/reprint.ts';

export type PrintJobStatus = 'queued' | 'printing' | 'done';

export interface PrintJob {
  readonly id: number;
  readonly txId: string | null;
  readonly kind: string;
  readonly status: PrintJobStatus;
  /** The next print of this job carries the CETAK ULANG banner. */
  readonly reprint: boolean;
  readonly attempts: number;
  readonly lastError: string | null;
}

export interface PrintQueueEvents {
  /** The printer refused or broke a job; the job stays queued. Emitted once per new fault code. */
  fault: [PrinterError];
  /** A job printed (or a probe succeeded) after a fault. */
  recovered: [];
  printed: [PrintJob];
}

/**
 * Append-only steps (migrate.ts). `doc` holds the slip as JSON until the job is done; done jobs
 * lose it except the newest, kept for "reprint last", so names on old slips do not pile up on
 * disk (UU 27/2022 Pasal 42-44: keep personal data no longer than its purpose needs).
 */
const STEPS = [
  `CREATE TABLE print_queue (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     tx_id TEXT,
     kind TEXT NOT NULL,
     doc TEXT,
     status TEXT NOT NULL CHECK (status IN ('queued', 'printing', 'done')),
     reprint INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     created_at TEXT NOT NULL,
     printed_at TEXT
   );
   CREATE INDEX print_queue_status ON print_queue (status, id);`,
];

interface Row {
  id: number;
  tx_id: string | null;
  kind: string;
  doc: string | null;
  status: PrintJobStatus;
  reprint: number;
  attempts: number;
  last_error: string | null;
}

/**
 * Durable FIFO of slips between the transaction and the printer. The rules it keeps:
 * - never lose a job: a job leaves 'queued' only by printing to the end; every failure puts it back;
 * - never print a job twice unmarked: a job that was 'printing' when the power went, or whose print
 *   may have put paper out before failing, prints again with the CETAK ULANG banner;
 * - strict order: a stuck job holds back the ones behind it, so slips never come out shuffled.
 */
/**
 * Copies marked CETAK ULANG ever queued, read from a ledger file without opening a printer (the
 * `close-day` command's daily report); 0 when the counter never printed from this file.
 */
export function reprintsQueued(db: Database): number {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'print_queue'").get()) return 0;
  return (db.prepare('SELECT COUNT(*) AS n FROM print_queue WHERE reprint = 1').get() as { n: number }).n;
}

export class PrintQueue extends EventEmitter<PrintQueueEvents> {
  readonly #db: Database;
  readonly #printer: Printer;
  readonly #log: Logger;
  readonly #now: () => Date;
  #pumping: Promise<void> | null = null;
  #again = false;
  #fault: PrinterError | null = null;
  #status: PrinterStatus | null = null;
  #timer: NodeJS.Timeout | null = null;
  #statements;

  /**
   * Migrates the table and requeues jobs a power cut left in 'printing' (marked for reprint).
   * The database handle belongs to the caller (configureDatabase already applied).
   */
  constructor(opts: { db: Database; printer: Printer; logger?: Logger; now?: () => Date }) {
    super();
    this.#db = opts.db;
    this.#printer = opts.printer;
    this.#log = (opts.logger ?? silentLogger).child({ module: 'printQueue' });
    this.#now = opts.now ?? (() => new Date());
    applyMigrations(this.#db, 'print_queue', STEPS);
    this.#statements = {
      insert: this.#db.prepare(
        `INSERT INTO print_queue (tx_id, kind, doc, status, reprint, created_at) VALUES (?, ?, ?, 'queued', ?, ?)`,
      ),
      next: this.#db.prepare(`SELECT * FROM print_queue WHERE status = 'queued' ORDER BY id LIMIT 1`),
      setPrinting: this.#db.prepare(`UPDATE print_queue SET status = 'printing', attempts = attempts + 1 WHERE id = ?`),
      setDone: this.#db.prepare(
        `UPDATE print_queue SET status = 'done', printed_at = ?, last_error = NULL WHERE id = ?`,
      ),
      forgetOlder: this.#db.prepare(`UPDATE print_queue SET doc = NULL WHERE status = 'done' AND id < ? AND doc IS NOT NULL`),
      requeue: this.#db.prepare(
        `UPDATE print_queue SET status = 'queued', reprint = MAX(reprint, ?), last_error = ? WHERE id = ?`,
      ),
      recover: this.#db.prepare(`UPDATE print_queue SET status = 'queued', reprint = 1 WHERE status = 'printing'`),
      lastDone: this.#db.prepare(
        `SELECT * FROM print_queue WHERE status = 'done' AND doc IS NOT NULL ORDER BY printed_at DESC, id DESC LIMIT 1`,
      ),
      depth: this.#db.prepare(`SELECT COUNT(*) AS n FROM print_queue WHERE status <> 'done'`),
      reprints: this.#db.prepare(`SELECT COUNT(*) AS n FROM print_queue WHERE reprint = 1`),
      ofKind: this.#db.prepare(`SELECT COUNT(*) AS n FROM print_queue WHERE kind = ?`),
      all: this.#db.prepare(`SELECT * FROM print_queue ORDER BY id`),
    };
    const recovered = this.#statements.recover.run().changes;
    if (recovered > 0) this.#log.warn({ jobs: recovered }, 'jobs interrupted while printing; they will print marked CETAK ULANG');
  }

  /**
   * Synchronous on purpose: the transaction calls it inside its own SQLite transaction, so the
   * ledger entry and its slip commit (or roll back) together. Call `pump()` after the commit.
   */
  enqueue(doc: SlipDocument, meta: { txId: string | null }): number {
    const info = this.#statements.insert.run(meta.txId, doc.kind, JSON.stringify(doc), 0, this.#now().toISOString());
    return Number(info.lastInsertRowid);
  }

  /** Queues another copy of the newest printed slip, marked CETAK ULANG. Null when nothing was printed yet. */
  reprintLast(): number | null {
    const last = this.#statements.lastDone.get() as Row | undefined;
    if (!last?.doc) return null;
    const info = this.#statements.insert.run(last.tx_id, last.kind, last.doc, 1, this.#now().toISOString());
    return Number(info.lastInsertRowid);
  }

  /** Jobs not yet printed to the end. */
  depth(): number {
    return (this.#statements.depth.get() as { n: number }).n;
  }

  /** Copies marked CETAK ULANG ever queued (the daily report counts them). */
  reprintCount(): number {
    return (this.#statements.reprints.get() as { n: number }).n;
  }

  /** Jobs of one slip kind ever queued, printed or not. */
  countOfKind(kind: SlipDocument['kind']): number {
    return (this.#statements.ofKind.get(kind) as { n: number }).n;
  }

  jobs(): PrintJob[] {
    return (this.#statements.all.all() as Row[]).map(toJob);
  }

  /** The fault that stopped the last pump or probe, null once the printer works again. */
  get fault(): PrinterError | null {
    return this.#fault;
  }

  /**
   * Prints queued jobs in order until the queue is empty or the printer fails. Concurrent calls
   * share one run; a call during a run makes it look for new jobs once more before it ends.
   * Never rejects: faults go to the `fault` event and the job waits for the next pump.
   */
  pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return this.#pumping;
    }
    this.#pumping = this.#run().finally(() => {
      this.#pumping = null;
    });
    return this.#pumping;
  }

  /**
   * Runs the queue by itself: every `pollMs` it pumps when jobs wait, else probes the printer's
   * status so a paper-out is reported (GANGGUAN) before the next resident reaches the desk.
   */
  start(opts: { pollMs: number }): void {
    if (this.#timer) return;
    const tick = async () => {
      if (this.depth() > 0) await this.pump();
      else await this.probe();
      if (this.#timer) this.#timer = setTimeout(() => void tick(), opts.pollMs);
    };
    this.#timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The printer status from the last idle probe (health: paper near end), null before one. */
  get lastStatus(): PrinterStatus | null {
    return this.#status;
  }

  /** One status check outside a job; updates the fault state. */
  async probe(): Promise<void> {
    try {
      const status = await this.#printer.status();
      this.#status = status;
      const fault = statusFault(status, false);
      if (fault) this.#setFault(fault);
      else this.#clearFault();
    } catch (err) {
      this.#status = null;
      this.#setFault(asPrinterError(err));
    }
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      for (;;) {
        const row = this.#statements.next.get() as Row | undefined;
        if (!row) break;
        // A failed job stops the run, unless somebody asked for a pump meanwhile (the fault may
        // have cleared in between): that request gets its own try instead of being swallowed.
        if (!(await this.#printOne(row))) {
          if (this.#again) break;
          return;
        }
      }
    } while (this.#again);
  }

  async #printOne(row: Row): Promise<boolean> {
    const doc = JSON.parse(row.doc ?? 'null') as SlipDocument;
    this.#statements.setPrinting.run(row.id);
    try {
      await this.#printer.print(row.reprint ? reprintBanner(doc) : doc);
    } catch (err) {
      const fault = asPrinterError(err);
      // Only a refusal before any byte went out is known to have left no paper behind.
      const maybePrinted = fault.detail.sent !== false;
      this.#statements.requeue.run(maybePrinted ? 1 : 0, fault.code, row.id);
      this.#log.warn({ jobId: row.id, kind: row.kind, code: fault.code, maybePrinted }, 'print job failed; kept queued');
      this.#setFault(fault);
      return false;
    }
    this.#db.transaction(() => {
      this.#statements.setDone.run(this.#now().toISOString(), row.id);
      this.#statements.forgetOlder.run(row.id);
    })();
    this.#clearFault();
    this.#log.info({ jobId: row.id, kind: row.kind, reprint: row.reprint === 1 }, 'slip printed');
    this.emit('printed', toJob({ ...row, status: 'done' }));
    return true;
  }

  #setFault(fault: PrinterError): void {
    const isNew = this.#fault?.code !== fault.code;
    this.#fault = fault;
    if (isNew) this.emit('fault', fault);
  }

  #clearFault(): void {
    if (!this.#fault) return;
    this.#fault = null;
    this.emit('recovered');
  }
}

function asPrinterError(err: unknown): PrinterError {
  if (err instanceof PrinterError) return err;
  if (isDeviceError(err)) return new PrinterError('PRINTER_IO', err.message, { cause: err, detail: { ...err.detail } });
  return new PrinterError('PRINTER_IO', err instanceof Error ? err.message : String(err), { cause: err });
}

function toJob(row: Row): PrintJob {
  return {
    id: row.id,
    txId: row.tx_id,
    kind: row.kind,
    status: row.status,
    reprint: row.reprint === 1,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
