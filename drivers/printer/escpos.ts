import { setTimeout as sleep } from 'node:timers/promises';
import thermal from 'node-thermal-printer';
import type { Logger } from '../logger.ts';
import { layoutDoc } from './layout.ts';
import { statusFault } from './status.ts';
import type { Transport } from './transport.ts';
import { PrinterError, type Printer, type PrinterStatus, type SlipDocument } from './types.ts';

const { ThermalPrinter, PrinterTypes, CharacterSet, BreakLine } = thermal;

/** ESC t tables we select by name; PC437's lower half is ASCII on every ESC/POS model. */
export type CodePage = 'PC437_USA' | 'PC850_MULTILINGUAL' | 'PC858_EURO';

export interface EscPosOptions {
  readonly transport: Transport;
  readonly columns: 32 | 48;
  readonly codePage?: CodePage;
  /** Per DLE EOT reply. */
  readonly statusTimeoutMs?: number;
  /**
   * Wait after sending a job before the closing status check. Real printers answer DLE EOT ahead
   * of the data still in their buffer, so a paper-out that happens on the last lines shows only
   * once the head got there; ~1 s covers a receipt at 58-80 mm/s.
   */
  readonly settleMs?: number;
  /** QR module size in dots (GS ( k 0x43), 1-8. */
  readonly qrCellSize?: number;
  readonly logger: Logger;
}

const DLE_EOT = (n: 1 | 2 | 3 | 4) => Buffer.from([0x10, 0x04, n]);

/**
 * ESC/POS printer over a two-way transport. node-thermal-printer builds the job bytes (styles,
 * ESC t, GS ( k QR, cut); it cannot read status, so this driver does the DLE EOT 1-4 exchange
 * itself on the same link, before each job (refuse early, nothing printed) and after it (report a
 * job that may have come out incomplete). One job or status exchange at a time.
 */
export class EscPosPrinter implements Printer {
  readonly columns: number;
  readonly #t: Transport;
  readonly #codePage: CodePage;
  readonly #statusTimeoutMs: number;
  readonly #settleMs: number;
  readonly #qrCellSize: number;
  readonly #log: Logger;
  #busy: Promise<unknown> = Promise.resolve();
  #open = false;

  constructor(opts: EscPosOptions) {
    this.columns = opts.columns;
    this.#t = opts.transport;
    this.#codePage = opts.codePage ?? 'PC437_USA';
    this.#statusTimeoutMs = opts.statusTimeoutMs ?? 1000;
    this.#settleMs = opts.settleMs ?? 1000;
    this.#qrCellSize = opts.qrCellSize ?? (opts.columns >= 48 ? 6 : 5);
    this.#log = opts.logger.child({ module: 'printer', link: opts.transport.description });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    await this.#t.open();
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
    await this.#t.close();
  }

  status(opts?: { timeoutMs?: number }): Promise<PrinterStatus> {
    return this.#exclusive(() => this.#readStatus(opts?.timeoutMs ?? this.#statusTimeoutMs));
  }

  print(doc: SlipDocument, opts?: { timeoutMs?: number }): Promise<void> {
    return this.#exclusive(async () => {
      const timeout = opts?.timeoutMs ?? this.#statusTimeoutMs;
      const before = statusFault(await this.#readStatus(timeout).catch(notSent), false);
      if (before) throw before;
      const bytes = this.encode(doc);
      await this.#t.write(bytes);
      if (this.#settleMs > 0) await sleep(this.#settleMs);
      const after = statusFault(await this.#readStatus(timeout), true);
      if (after) throw after;
      this.#log.debug({ kind: doc.kind, bytes: bytes.length }, 'slip sent');
    });
  }

  /** The job's bytes: reset, code page, lines, QR, feed and cut. Exposed for the emulator tests. */
  encode(doc: SlipDocument): Buffer {
    const tp = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      // No interface: the library only builds bytes here; our transport sends them.
      interface: '',
      width: this.columns,
      breakLine: BreakLine.NONE,
    });
    // ESC @ first: it resets the code page, so ESC t must follow it.
    tp.setBuffer(Buffer.from([0x1b, 0x40]));
    tp.setCharacterSet(CharacterSet[this.#codePage]);
    tp.setTypeFontA();
    tp.alignLeft();
    for (const line of layoutDoc(doc, this.columns)) {
      if (line.kind === 'qr') {
        tp.alignCenter();
        tp.printQR(line.data, { cellSize: this.#qrCellSize, correction: 'M', model: 2 });
        tp.newLine();
        tp.alignLeft();
        continue;
      }
      tp.setTextSize(line.size - 1, line.size - 1);
      tp.bold(line.bold);
      tp.println(line.text);
    }
    tp.setTextSize(0, 0);
    tp.bold(false);
    tp.cut({ verticalTabAmount: 1 });
    return Buffer.from(tp.getBuffer());
  }

  async #readStatus(timeoutMs: number): Promise<PrinterStatus> {
    if (!this.#open) throw new PrinterError('PRINTER_IO', 'printer is not open', { detail: { sent: false } });
    // Reconnects after a cable pull or printer restart; a no-op while the link is up.
    await this.#t.open();
    this.#t.discardInput();
    const reply: number[] = [];
    for (const n of [1, 2, 3, 4] as const) {
      await this.#t.write(DLE_EOT(n));
      const [b] = await this.#t.read(1, timeoutMs);
      // Bits 1 and 4 are fixed 1, bits 0 and 7 fixed 0 in every DLE EOT reply.
      if ((b & 0x93) !== 0x12) {
        throw new PrinterError('PRINTER_IO', `unexpected DLE EOT ${n} reply 0x${b.toString(16)}`, { detail: { n, byte: b } });
      }
      reply.push(b);
    }
    return parseStatus(reply as [number, number, number, number]);
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(work, work);
    this.#busy = run.catch(() => undefined);
    return run;
  }
}

/** DLE EOT n=1..4 reply bytes (Epson ESC/POS reference) to the driver-independent status. */
export function parseStatus([printer, offline, error, paper]: readonly [number, number, number, number]): PrinterStatus {
  const paperOut = (paper & 0x60) !== 0 || (offline & 0x20) !== 0;
  const nearEnd = (paper & 0x0c) !== 0;
  return {
    online: (printer & 0x08) === 0 && (error & 0x20) === 0,
    coverOpen: (offline & 0x04) !== 0,
    paper: paperOut ? 'out' : nearEnd ? 'near_end' : 'ok',
    cutterError: (error & 0x08) !== 0,
  };
}

/** Any failure of the pre-job status check happened before a byte of the job went out. */
function notSent(err: unknown): never {
  if (err instanceof PrinterError) {
    throw new PrinterError(err.code, err.message, { retryable: err.retryable, cause: err, detail: { ...err.detail, sent: false } });
  }
  throw new PrinterError('PRINTER_IO', err instanceof Error ? err.message : String(err), { cause: err, detail: { sent: false } });
}
