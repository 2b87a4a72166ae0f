import { setTimeout as sleep } from 'node:timers/promises';
import { constants } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { PrinterError } from './types.ts';

/**
 * A two-way byte link to the printer. The ESC/POS driver writes jobs and real-time status
 * queries through it and reads the status replies back on the same link; that is why the driver
 * owns its transports instead of using node-thermal-printer's write-only interfaces (#211, #55).
 */
export interface Transport {
  readonly description: string;
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  /** Resolves with exactly `n` bytes, or rejects with PRINTER_TIMEOUT after `timeoutMs`. */
  read(n: number, timeoutMs: number): Promise<Buffer>;
  /** Drops bytes received but not read (a late reply after a timeout must not answer the next query). */
  discardInput(): void;
  close(): Promise<void>;
}

/** Received bytes and at most one waiting reader; shared by the stream-like transports. */
class Inbox {
  #buf = Buffer.alloc(0);
  #waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  #error: Error | null = null;

  push(chunk: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    this.#settle();
  }

  fail(err: Error): void {
    this.#error = err;
    if (this.#waiter) {
      clearTimeout(this.#waiter.timer);
      this.#waiter.reject(err);
      this.#waiter = null;
    }
  }

  reset(): void {
    this.#buf = Buffer.alloc(0);
    this.#error = null;
  }

  discard(): void {
    this.#buf = Buffer.alloc(0);
  }

  read(n: number, timeoutMs: number, what: string): Promise<Buffer> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#waiter) return Promise.reject(new PrinterError('PRINTER_IO', 'concurrent read on printer link'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        reject(new PrinterError('PRINTER_TIMEOUT', `no reply from ${what} within ${timeoutMs} ms`, { retryable: true }));
      }, timeoutMs);
      this.#waiter = { n, resolve, reject, timer };
      this.#settle();
    });
  }

  #settle(): void {
    const w = this.#waiter;
    if (!w || this.#buf.length < w.n) return;
    clearTimeout(w.timer);
    this.#waiter = null;
    const out = this.#buf.subarray(0, w.n);
    this.#buf = this.#buf.subarray(w.n);
    w.resolve(Buffer.from(out));
  }
}

function linkError(err: NodeJS.ErrnoException, what: string, sent = true): PrinterError {
  const absent = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT', 'ENODEV', 'ENXIO', 'ETIMEDOUT'];
  // serialport's errors carry no errno code, only the strerror text.
  const gone = absent.includes(err.code ?? '') || /No such (file|device)|ENOENT|ENODEV/.test(err.message);
  const code = gone ? 'PRINTER_ABSENT' : 'PRINTER_IO';
  return new PrinterError(code, `${what}: ${err.message}`, { retryable: true, cause: err, detail: { errno: err.code, sent } });
}

/** Raw TCP, port 9100 on network printers ("JetDirect"); status replies come back on the socket. */
export class TcpTransport implements Transport {
  readonly description: string;
  readonly #host: string;
  readonly #port: number;
  readonly #connectTimeoutMs: number;
  #socket: Socket | null = null;
  readonly #inbox = new Inbox();

  constructor(opts: { host: string; port: number; connectTimeoutMs?: number }) {
    this.#host = opts.host;
    this.#port = opts.port;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
    this.description = `tcp://${opts.host}:${opts.port}`;
  }

  open(): Promise<void> {
    if (this.#socket) return Promise.resolve();
    this.#inbox.reset();
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.#host, port: this.#port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new PrinterError('PRINTER_ABSENT', `no connection to ${this.description}`, { retryable: true, detail: { sent: false } }));
      }, this.#connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.#socket = socket;
        socket.on('data', (chunk: Buffer) => this.#inbox.push(chunk));
        socket.on('error', (err) => this.#inbox.fail(linkError(err, this.description)));
        socket.on('close', () => {
          this.#socket = null;
          this.#inbox.fail(new PrinterError('PRINTER_ABSENT', `${this.description} closed the connection`, { retryable: true }));
        });
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        if (!this.#socket) reject(linkError(err, this.description, false));
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new PrinterError('PRINTER_ABSENT', `${this.description} is not connected`, { retryable: true, detail: { sent: false } }));
    return new Promise((resolve, reject) => {
      socket.write(data, (err) => (err ? reject(linkError(err, this.description)) : resolve()));
    });
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    return this.#inbox.read(n, timeoutMs, this.description);
  }

  discardInput(): void {
    this.#inbox.discard();
  }

  close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      socket.destroySoon();
    });
  }
}

/**
 * USB printer class device (/dev/usb/lpN, kernel usblp). The same file descriptor carries status
 * replies when the printer is bidirectional. The device is opened non-blocking, so a read returns
 * what is there (EAGAIN when nothing) and a reply is polled for in short steps until the deadline.
 */
export class UsbLpTransport implements Transport {
  readonly description: string;
  readonly #device: string;
  #fh: FileHandle | null = null;

  constructor(opts: { device: string }) {
    this.#device = opts.device;
    this.description = opts.device;
  }

  async open(): Promise<void> {
    if (this.#fh) return;
    try {
      // Non-blocking: a blocking usblp read would sit in a libuv worker until the printer spoke.
      this.#fh = await openFile(this.#device, constants.O_RDWR | constants.O_NONBLOCK);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EACCES') {
        throw new PrinterError('PRINTER_IO', `no permission on ${this.#device}: add the agent user to group lp`, { cause: e, detail: { sent: false } });
      }
      throw linkError(e, this.description, false);
    }
  }

  async write(data: Uint8Array): Promise<void> {
    const fh = this.#requireOpen();
    let off = 0;
    let stalls = 0;
    while (off < data.length) {
      try {
        off += (await fh.write(data, off)).bytesWritten;
        stalls = 0;
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        // A full printer buffer answers EAGAIN on a non-blocking fd; wait for it to drain.
        if (e.code !== 'EAGAIN' || ++stalls > 3000) throw await this.#drop(linkError(e, this.description, off > 0));
        await sleep(10);
      }
    }
  }

  async read(n: number, timeoutMs: number): Promise<Buffer> {
    const fh = this.#requireOpen();
    const out = Buffer.alloc(n);
    let got = 0;
    const deadline = performance.now() + timeoutMs;
    while (got < n) {
      let r: number;
      try {
        r = (await fh.read(out, got, n - got, null)).bytesRead;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw await this.#drop(linkError(err as NodeJS.ErrnoException, this.description));
        r = 0;
      }
      got += r;
      if (got >= n) break;
      if (performance.now() >= deadline) {
        throw new PrinterError('PRINTER_TIMEOUT', `no reply from ${this.description} within ${timeoutMs} ms`, { retryable: true });
      }
      await sleep(10);
    }
    return out;
  }

  discardInput(): void {
    // usblp keeps no read-ahead in user space; nothing to drop.
  }

  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close();
  }

  /** After an I/O error the device node is usually gone (unplugged): reopen on the next call. */
  async #drop(err: PrinterError): Promise<PrinterError> {
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close().catch(() => undefined);
    return err;
  }

  #requireOpen(): FileHandle {
    if (!this.#fh) throw new PrinterError('PRINTER_IO', `${this.#device} is not open`, { detail: { sent: false } });
    return this.#fh;
  }
}

/** RS-232 / USB-serial printers, through the serialport package (baud rate and framing need termios). */
export class SerialTransport implements Transport {
  readonly description: string;
  readonly #path: string;
  readonly #baudRate: number;
  readonly #inbox = new Inbox();
  #port: import('serialport').SerialPort | null = null;

  constructor(opts: { path: string; baudRate: number }) {
    this.#path = opts.path;
    this.#baudRate = opts.baudRate;
    this.description = `${opts.path}@${opts.baudRate}`;
  }

  async open(): Promise<void> {
    if (this.#port) return;
    const { SerialPort } = await import('serialport');
    this.#inbox.reset();
    const port = new SerialPort({ path: this.#path, baudRate: this.#baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(linkError(err as NodeJS.ErrnoException, this.description, false)) : resolve())),
    );
    port.on('data', (chunk: Buffer) => this.#inbox.push(chunk));
    port.on('error', (err) => this.#inbox.fail(linkError(err as NodeJS.ErrnoException, this.description)));
    port.on('close', () => {
      this.#port = null;
      this.#inbox.fail(new PrinterError('PRINTER_ABSENT', `${this.description} was closed`, { retryable: true }));
    });
    this.#port = port;
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(new PrinterError('PRINTER_ABSENT', `${this.description} is not open`, { retryable: true, detail: { sent: false } }));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(data), (err) => {
        if (err) return reject(linkError(err as NodeJS.ErrnoException, this.description));
        port.drain((e) => (e ? reject(linkError(e as NodeJS.ErrnoException, this.description)) : resolve()));
      });
    });
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    return this.#inbox.read(n, timeoutMs, this.description);
  }

  discardInput(): void {
    this.#inbox.discard();
  }

  close(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
