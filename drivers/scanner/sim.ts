import { EventEmitter } from 'node:events';
import { cleanScan, ScannerError, type Scanner, type ScannerEvents, type ScannerHealth } from './types.ts';

/**
 * In-memory scanner for tests, the demo and the keyboard console: `scan(text)` is a symbol read,
 * passed through the same cleaning as the serial driver; `unplug()`/`replug()` play a USB fault.
 */
export class SimScanner extends EventEmitter<ScannerEvents> implements Scanner {
  #state: ScannerHealth['state'] = 'closed';
  #lastError: ScannerHealth['lastError'] = null;

  async open(): Promise<void> {
    this.#state = 'ok';
  }

  async close(): Promise<void> {
    this.#state = 'closed';
  }

  health(): ScannerHealth {
    return { state: this.#state, lastError: this.#lastError };
  }

  // ---- test controls ----

  scan(raw: string): void {
    if (this.#state !== 'ok') throw new Error('SimScanner is not open');
    const s = cleanScan(raw);
    if (s.ok) this.emit('scan', s.text);
    else this.emit('fault', new ScannerError('SCAN_UNREADABLE', 'scan refused: empty, too long or not printable'));
  }

  unplug(): void {
    this.#state = 'absent';
    this.#lastError = 'SCANNER_ABSENT';
    this.emit('fault', new ScannerError('SCANNER_ABSENT', 'simulated scanner unplugged', { retryable: true }));
  }

  replug(): void {
    this.#state = 'ok';
    this.#lastError = null;
    this.emit('recovered');
  }
}
