import { EventEmitter } from 'node:events';
import { fitRow } from './charset.ts';
import { DisplayError, type Display, type DisplayErrorCode, type DisplayEvents } from './types.ts';

/**
 * In-memory display for tests, the demo and the keyboard console: the same fitting (A00 charset,
 * cut and padded to the width) as the real driver, so a layout that overflows shows up here too.
 * Test controls: `history` (every screen shown), `failNext(code)`.
 */
export class SimDisplay extends EventEmitter<DisplayEvents> implements Display {
  readonly columns: number;
  readonly rows: number;
  /** Every screen shown since open, oldest first (for tests and the console). */
  readonly history: string[][] = [];
  #open = false;
  #shown: string[];
  #fail: DisplayErrorCode | null = null;

  constructor(opts: { columns?: number; rows?: number } = {}) {
    super();
    this.columns = opts.columns ?? 20;
    this.rows = opts.rows ?? 4;
    this.#shown = this.#blank();
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    if (this.#fail) throw this.#takeFailure();
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
    this.#shown = this.#blank();
  }

  async show(lines: readonly string[]): Promise<void> {
    if (lines.length > this.rows) throw new RangeError(`${lines.length} lines for a display of ${this.rows} rows`);
    this.#check();
    this.#shown = Array.from({ length: this.rows }, (_, i) => fitRow(lines[i] ?? '', this.columns));
    this.history.push([...this.#shown]);
  }

  async clear(): Promise<void> {
    this.#check();
    this.#shown = this.#blank();
    this.history.push([...this.#shown]);
  }

  lines(): readonly string[] {
    return [...this.#shown];
  }

  /** The screen as the console prints it: a frame around the rows. */
  frame(): string {
    return frameLines(this.#shown, this.columns);
  }

  // ---- test controls ----

  /** The next open/show/clear fails with this code (and show/clear emit `fault` first, as the real one). */
  failNext(code: DisplayErrorCode): void {
    this.#fail = code;
  }

  #check(): void {
    if (!this.#open) throw new DisplayError('DISPLAY_IO', 'display is not open');
    if (this.#fail) {
      const err = this.#takeFailure();
      this.emit('fault', err);
      throw err;
    }
  }

  #takeFailure(): DisplayError {
    const code = this.#fail as DisplayErrorCode;
    this.#fail = null;
    return new DisplayError(code, `simulated ${code}`, { retryable: code !== 'DISPLAY_CONFIG' });
  }

  #blank(): string[] {
    return Array.from({ length: this.rows }, () => ' '.repeat(this.columns));
  }
}

/** Rows in a frame, each fitted to `columns` (the keyboard console prints the screen this way). */
export function frameLines(lines: readonly string[], columns: number): string {
  const edge = '+' + '-'.repeat(columns) + '+';
  return [edge, ...lines.map((l) => `|${fitRow(l, columns)}|`), edge].join('\n');
}
