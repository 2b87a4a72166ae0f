import { renderText } from './layout.ts';
import { STATUS_OK, statusFault } from './status.ts';
import { PrinterError, type Printer, type PrinterStatus, type SlipDocument } from './types.ts';

/** One piece of paper that came out of the simulated printer. */
export interface SimSheet {
  readonly kind: string;
  readonly lines: readonly string[];
  /** False when the paper ran out mid-slip: the sheet holds only the first lines. */
  readonly complete: boolean;
}

/**
 * In-memory printer with the same contract as the ESC/POS driver, for tests and the laptop demo.
 * It renders with the shared layout rules (layout.ts), so its sheets read exactly like the
 * emulator's decoded output. Test controls: `setStatus`, `runOutOfPaperAfter`, `unplug`/`plugIn`.
 */
export class SimPrinter implements Printer {
  readonly columns: number;
  readonly sheets: SimSheet[] = [];
  #open = false;
  #plugged = true;
  #status: PrinterStatus = STATUS_OK;
  #paperLeftLines: number | null = null;

  constructor(opts: { columns: 32 | 48 }) {
    this.columns = opts.columns;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    if (!this.#plugged) throw absent();
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
  }

  async status(): Promise<PrinterStatus> {
    this.#ensureReady();
    return { ...this.#status };
  }

  async print(doc: SlipDocument): Promise<void> {
    this.#ensureReady();
    const before = statusFault(this.#status, false);
    if (before) throw before;
    const lines = renderText(doc, this.columns);
    if (this.#paperLeftLines !== null && this.#paperLeftLines < lines.length) {
      this.sheets.push({ kind: doc.kind, lines: lines.slice(0, this.#paperLeftLines), complete: false });
      this.#paperLeftLines = null;
      this.#status = { ...this.#status, paper: 'out', online: false };
      throw statusFault(this.#status, true) as PrinterError;
    }
    if (this.#paperLeftLines !== null) this.#paperLeftLines -= lines.length;
    this.sheets.push({ kind: doc.kind, lines, complete: true });
  }

  // ---- test controls ----

  setStatus(patch: Partial<PrinterStatus>): void {
    this.#status = { ...this.#status, ...patch };
  }

  /** The roll ends after `lines` more printed lines; the slip in progress comes out cut short. */
  runOutOfPaperAfter(lines: number): void {
    this.#paperLeftLines = lines;
  }

  /** A new roll: paper ok and online again. */
  loadPaper(): void {
    this.#paperLeftLines = null;
    this.#status = { ...this.#status, paper: 'ok', online: !this.#status.coverOpen };
  }

  unplug(): void {
    this.#plugged = false;
  }

  plugIn(): void {
    this.#plugged = true;
  }

  #ensureReady(): void {
    if (!this.#plugged) throw absent();
    if (!this.#open) throw new PrinterError('PRINTER_IO', 'printer is not open', { detail: { sent: false } });
  }
}

function absent(): PrinterError {
  return new PrinterError('PRINTER_ABSENT', 'simulated printer is unplugged', { retryable: true, detail: { sent: false } });
}
