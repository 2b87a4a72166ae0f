import { EventEmitter } from 'node:events';
import { access } from 'node:fs/promises';
import { RegexParser, SerialPort } from 'serialport';
import type { Logger } from '../logger.ts';
import { cleanScan, ScannerError, type Scanner, type ScannerEvents, type ScannerHealth } from './types.ts';

export interface SerialScannerOptions {
  /** e.g. /dev/serial/by-id/usb-…-if00 (stable across re-plugs) or /dev/ttyACM0. */
  readonly path: string;
  /** CDC-ACM ignores it; an RS-232 scanner needs the speed set on the scanner (9600 typical). */
  readonly baudRate: number;
  /** How long to wait before reopening a port that went away (USB unplug). */
  readonly reopenMs?: number;
  readonly logger: Logger;
}

/**
 * USB barcode/QR scanner in serial (CDC-ACM) mode through `serialport`. Serial mode rather than
 * keyboard-wedge: the scanner's lines cannot end up in whatever else reads the keyboard, and a
 * scan arrives as one line instead of key events. After a fault the port is reopened every
 * `reopenMs` until the scanner is back.
 */
export class SerialScanner extends EventEmitter<ScannerEvents> implements Scanner {
  private port: SerialPort | null = null;
  private state: ScannerHealth['state'] = 'closed';
  private lastError: ScannerHealth['lastError'] = null;
  private reopenTimer: NodeJS.Timeout | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly log: Logger;

  constructor(private readonly opts: SerialScannerOptions) {
    super();
    this.log = opts.logger.child({ module: 'scanner' });
  }

  health(): ScannerHealth {
    return { state: this.state, lastError: this.lastError };
  }

  /** Opens the port; a missing device is SCANNER_ABSENT at start-up (the desk cannot work without it). */
  async open(): Promise<void> {
    this.closing = false;
    await this.openPort();
  }

  private openPort(): Promise<void> {
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          this.state = 'absent';
          this.lastError = 'SCANNER_ABSENT';
          reject(new ScannerError('SCANNER_ABSENT', `cannot open scanner ${this.opts.path}: ${err.message}`, { cause: err, retryable: true }));
          return;
        }
        this.attach(port);
        resolve();
      });
    });
  }

  private attach(port: SerialPort): void {
    this.port = port;
    const wasFaulty = this.lastError !== null;
    this.state = 'ok';
    this.lastError = null;
    if (wasFaulty) this.emit('recovered');
    // Fed by a 'data' listener rather than pipe(): with pipe() the port's read loop can sit idle
    // and miss the EIO that says the device went away.
    const lines = new RegexParser({ regex: /[\r\n]+/, encoding: 'latin1' });
    port.on('data', (chunk: Buffer) => lines.write(chunk));
    lines.on('data', (raw: string) => {
      const scan = cleanScan(raw);
      if (scan.ok) this.emit('scan', scan.text);
      // The content is personal (a letter number or NIK): the log gets its length only.
      else this.emit('fault', new ScannerError('SCAN_UNREADABLE', 'scan refused: empty, too long or not printable', { detail: { length: raw.length } }));
    });
    port.on('error', (err) => this.fail('SCANNER_IO', err));
    // The port's EIO on unplug is not always reported while the read loop is between polls; the
    // device node vanishing (udev removes /dev/ttyACM* and the by-id link) is.
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = setInterval(() => {
      access(this.opts.path).catch(() => {
        if (this.port === port) this.fail('SCANNER_ABSENT', new Error('device node is gone'));
      });
    }, this.opts.reopenMs ?? 2000);
    this.presenceTimer.unref();
    port.on('close', () => {
      if (this.port === port) this.fail('SCANNER_ABSENT', new Error('port closed'));
    });
  }

  private fail(code: 'SCANNER_IO' | 'SCANNER_ABSENT', err: Error): void {
    if (this.closing) return;
    const port = this.port;
    this.port = null;
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = null;
    if (port?.isOpen) port.close(() => undefined);
    this.state = code === 'SCANNER_ABSENT' ? 'absent' : 'error';
    this.lastError = code;
    this.log.warn({ code, err: { message: err.message } }, 'scanner fault; reopening');
    this.emit('fault', new ScannerError(code, `scanner ${this.opts.path}: ${err.message}`, { cause: err, retryable: true }));
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closing || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.openPort().catch(() => this.scheduleReopen());
    }, this.opts.reopenMs ?? 2000);
    this.reopenTimer.unref();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.reopenTimer = null;
    this.presenceTimer = null;
    const port = this.port;
    this.port = null;
    this.state = 'closed';
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
