import { EventEmitter } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';
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
}

/**
 * USB numeric keypad read straight from its evdev node. No npm package for evdev is maintained
 * (the registry has none in our lists; the old native ones target Node <= 10), and the format is a
 * fixed-size kernel ABI struct, so reading it is a dozen lines with no native build on the Pi.
 * Key presses (value 1) count; repeats and releases do not, so a held key types one digit.
 *
 * Note: without EVIOCGRAB (an ioctl Node cannot issue) a text console on the same box would
 * also see the keys; the appliance has no login console on tty1, so nothing else reads them.
 */
export class EvdevKeypad extends EventEmitter<KeypadEvents> implements Keypad {
  private stream: ReadStream | null = null;
  private state: 'ok' | 'absent' | 'error' | 'closed' = 'closed';
  private lastError: 'KEYPAD_ABSENT' | 'KEYPAD_IO' | null = null;
  private readonly buffer = new EntryBuffer();
  private pending = Buffer.alloc(0);
  private readonly size: 16 | 24;
  private readonly log: Logger;

  constructor(private readonly opts: EvdevKeypadOptions) {
    super();
    this.size = opts.eventSize ?? inputEventSize();
    this.log = opts.logger.child({ module: 'keypad' });
  }

  health() {
    return { state: this.state, lastError: this.lastError };
  }

  /** Resolves once the device is open; a missing node is KEYPAD_ABSENT. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const stream = createReadStream(this.opts.path, { highWaterMark: this.size * 64 });
      this.stream = stream;
      let opened = false;
      stream.once('open', () => {
        opened = true;
        this.state = 'ok';
        this.lastError = null;
        resolve();
      });
      stream.on('data', (chunk) => this.onData(chunk as Buffer));
      stream.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code === 'ENOENT' || err.code === 'ENODEV' || err.code === 'EACCES' ? 'KEYPAD_ABSENT' : 'KEYPAD_IO';
        this.state = code === 'KEYPAD_ABSENT' ? 'absent' : 'error';
        this.lastError = code;
        const e = new KeypadError(code, `keypad ${this.opts.path}: ${err.message}`, { cause: err, retryable: true });
        if (!opened) return reject(e);
        this.log.warn({ code, err: { message: err.message } }, 'keypad fault');
        this.emit('fault', e);
      });
      stream.on('end', () => {
        // An unplugged device ends the stream (ENODEV on the next read, or EOF on a FIFO).
        if (this.state === 'closed') return;
        this.state = 'absent';
        this.lastError = 'KEYPAD_ABSENT';
        this.emit('fault', new KeypadError('KEYPAD_ABSENT', `keypad ${this.opts.path} went away`, { retryable: true }));
      });
    });
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
      const r = this.buffer.key(code);
      if (!r) continue;
      if (r.kind === 'entry') this.emit('entry', r.text);
      else if (r.kind === 'typing') this.emit('typing', r.length);
      else this.emit('fault', new KeypadError('KEYPAD_OVERFLOW', 'entry too long; cleared'));
    }
    this.pending = Buffer.from(data.subarray(whole));
  }

  async close(): Promise<void> {
    this.state = 'closed';
    const s = this.stream;
    this.stream = null;
    // A read blocked in the thread pool on an idle device only returns at the next key, so the
    // descriptor is released then (or at exit); shutdown does not wait for a key press.
    s?.destroy();
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
