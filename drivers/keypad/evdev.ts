import { EventEmitter } from 'node:events';
import { close as fsClose, constants, open as fsOpen, read as fsRead } from 'node:fs';
import type { Logger } from '../logger.ts';
import { EntryBuffer } from './entryBuffer.ts';
import { EV_KEY, KEY_PRESS } from './keymap.ts';
import { KeypadError, type Keypad, type KeypadEvents } from './types.ts';

/**
 * `struct input_event` is a `struct timeval` (two longs) then type u16, code u16, value s32: 24
 * bytes where long is 64-bit (aarch64 Raspberry Pi OS, x86-64), 16 bytes on 32-bit userland.
 */
export function inputEventSize(arch: string = process.arch): 16 | 24 {
  return arch === 'arm' || arch === 'ia32' ? 16 : 24;
}

export interface EvdevKeypadOptions {
  /** e.g. /dev/input/by-id/usb-…-event-kbd (stable across re-plugs) or /dev/input/event3. */
  readonly path: string;
  readonly logger: Logger;
  /** Only for tests of the other word size. */
  readonly eventSize?: 16 | 24;
  /** How often the non-blocking descriptor is read; a human typing does not notice 20 ms. */
  readonly pollMs?: number;
  /** After a fault, how often the node is opened again (a replugged keypad gets a new one). */
  readonly reopenMs?: number;
}

/**
 * USB numeric keypad read straight from its evdev node. No npm package for evdev is maintained
 * (the registry has none in our lists; the old native ones target Node <= 10), and the format is a
 * fixed-size kernel ABI struct, so reading it is a dozen lines with no native build on the Pi.
 * Key presses (value 1) count; repeats and releases do not, so a held key types one digit.
 *
 * The node is opened O_NONBLOCK and read on a short timer: a blocking read would hold a thread-pool
 * thread (and the process, at shutdown) until the next key press. EAGAIN means no key yet.
 *
 * Note: without EVIOCGRAB (an ioctl Node cannot issue) a text console on the same box would
 * also see the keys; the appliance has no login console on tty1, so nothing else reads them.
 */
export class EvdevKeypad extends EventEmitter<KeypadEvents> implements Keypad {
  private fd: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reopenTimer: NodeJS.Timeout | null = null;
  private reading = false;
  private state: 'ok' | 'absent' | 'error' | 'closed' = 'closed';
  private lastError: 'KEYPAD_ABSENT' | 'KEYPAD_IO' | null = null;
  private readonly entries = new EntryBuffer();
  private pending = Buffer.alloc(0);
  private readonly chunk: Buffer;
  private readonly size: 16 | 24;
  private readonly log: Logger;

  constructor(private readonly opts: EvdevKeypadOptions) {
    super();
    this.size = opts.eventSize ?? inputEventSize();
    this.chunk = Buffer.alloc(this.size * 64);
    this.log = opts.logger.child({ module: 'keypad' });
  }

  health() {
    return { state: this.state, lastError: this.lastError };
  }

  /** Opens the device; a missing node (or no permission: group `input`) is KEYPAD_ABSENT. */
  async open(): Promise<void> {
    try {
      this.fd = await this.openNode();
    } catch (err) {
      this.state = 'absent';
      this.lastError = 'KEYPAD_ABSENT';
      throw new KeypadError('KEYPAD_ABSENT', `keypad ${this.opts.path}: ${(err as Error).message}`, { cause: err, retryable: true });
    }
    this.state = 'ok';
    this.lastError = null;
    this.timer = setInterval(() => this.poll(), this.opts.pollMs ?? 20);
    this.timer.unref();
  }

  private poll(): void {
    if (this.reading || this.fd === null) return;
    this.reading = true;
    const fd = this.fd;
    fsRead(fd, this.chunk, 0, this.chunk.length, null, (err, n) => {
      this.reading = false;
      if (this.fd !== fd) return;
      if (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return this.readable();
        const code = (err as NodeJS.ErrnoException).code === 'ENODEV' ? 'KEYPAD_ABSENT' : 'KEYPAD_IO';
        this.state = code === 'KEYPAD_ABSENT' ? 'absent' : 'error';
        if (this.lastError !== code) {
          this.lastError = code;
          this.log.warn({ code, err: { message: err.message } }, 'keypad fault; reopening');
          this.emit('fault', new KeypadError(code, `keypad ${this.opts.path}: ${err.message}`, { cause: err, retryable: true }));
        }
        // An unplugged keypad's descriptor never reads again: the replugged one is a new node
        // (the by-id link follows it), so drop this one and open the path until it answers.
        this.fd = null;
        fsClose(fd, () => undefined);
        this.scheduleReopen();
        return;
      }
      this.readable();
      // 0 bytes: a FIFO with no writer (tests); an input device never returns 0.
      if (n > 0) {
        this.onData(this.chunk.subarray(0, n));
        setImmediate(() => this.poll());
      }
    });
  }

  private openNode(): Promise<number> {
    return new Promise<number>((resolve, reject) =>
      fsOpen(this.opts.path, constants.O_RDONLY | constants.O_NONBLOCK, (err, fd) => (err ? reject(err) : resolve(fd))),
    );
  }

  private scheduleReopen(): void {
    if (this.reopenTimer || this.state === 'closed') return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.openNode().then(
        (fd) => {
          if (this.state === 'closed') {
            fsClose(fd, () => undefined);
            return;
          }
          // Recovered once it reads (readable()), not when it opens: a node can open and still fail.
          this.fd = fd;
          this.pending = Buffer.alloc(0);
        },
        () => this.scheduleReopen(),
      );
    }, this.opts.reopenMs ?? 1000);
    this.reopenTimer.unref();
  }

  /** A read answered (a key, or none yet): after a fault, the keypad is back. Once per fault. */
  private readable(): void {
    if (this.lastError === null) return;
    const code = this.lastError;
    this.state = 'ok';
    this.lastError = null;
    this.log.info({ code }, 'keypad recovered');
    this.emit('recovered');
  }

  private onData(chunk: Buffer): void {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const whole = data.length - (data.length % this.size);
    const typeAt = this.size - 8;
    for (let off = 0; off < whole; off += this.size) {
      const type = data.readUInt16LE(off + typeAt);
      const code = data.readUInt16LE(off + typeAt + 2);
      const value = data.readInt32LE(off + typeAt + 4);
      if (type !== EV_KEY || value !== KEY_PRESS) continue;
      const r = this.entries.key(code);
      if (!r) continue;
      if (r.kind === 'entry') this.emit('entry', r.text);
      else if (r.kind === 'typing') this.emit('typing', r.length);
      else this.emit('fault', new KeypadError('KEYPAD_OVERFLOW', 'entry too long; cleared'));
    }
    this.pending = Buffer.from(data.subarray(whole));
  }

  async close(): Promise<void> {
    this.state = 'closed';
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await new Promise<void>((resolve) => fsClose(fd, () => resolve()));
  }
}

/** Encodes one input_event the way the kernel lays it out (for tests and the bench). */
export function encodeInputEvent(type: number, code: number, value: number, size: 16 | 24 = inputEventSize(), at = Date.now()): Buffer {
  const b = Buffer.alloc(size);
  const sec = Math.floor(at / 1000);
  const usec = (at % 1000) * 1000;
  if (size === 24) {
    b.writeBigInt64LE(BigInt(sec), 0);
    b.writeBigInt64LE(BigInt(usec), 8);
  } else {
    b.writeInt32LE(sec, 0);
    b.writeInt32LE(usec, 4);
  }
  b.writeUInt16LE(type, size - 8);
  b.writeUInt16LE(code, size - 6);
  b.writeInt32LE(value, size - 4);
  return b;
}
