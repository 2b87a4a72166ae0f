import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import { fitRow } from './charset.ts';
import { clearScreen, initSequence, shutdown, writeRow, type BusStep } from './hd44780.ts';
import type { I2cBus, OpenI2cBus } from './i2cBus.ts';
import { DisplayError, type Display, type DisplayEvents } from './types.ts';

export interface I2cDisplayOptions {
  /** /dev/i2c-N: 1 on a Raspberry Pi's header pins 3 (SDA) and 5 (SCL). */
  readonly bus: number;
  /** 7-bit address: 0x27 (39) for a PCF8574 backpack with A0-A2 open, 0x3F for a PCF8574A. */
  readonly address: number;
  readonly columns: number;
  readonly rows: number;
  readonly openBus: OpenI2cBus;
  readonly logger: Logger;
  /** Injected for tests; a real pause otherwise. */
  readonly pause?: (ms: number) => Promise<void>;
}

/** errno codes from i2c-dev: what they mean at the counter. */
function classify(err: unknown, opts: I2cDisplayOptions, phase: 'open' | 'write'): DisplayError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `/dev/i2c-${opts.bus} address 0x${opts.address.toString(16)}`;
  if (code === 'ENOENT') {
    return new DisplayError('DISPLAY_ABSENT', `no ${`/dev/i2c-${opts.bus}`}: enable I2C (raspi-config → Interface Options → I2C)`, { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DisplayError('DISPLAY_ABSENT', `no permission on /dev/i2c-${opts.bus}: the service user must be in the i2c group`, { cause: err });
  }
  // A NACK on the address byte: nothing wired there (or a PCF8574A at 0x3F configured as 0x27).
  if (code === 'EREMOTEIO' || code === 'ENXIO' || code === 'EIO') {
    return new DisplayError(phase === 'open' ? 'DISPLAY_ABSENT' : 'DISPLAY_IO', `no answer from ${where} (${code}): check the cable and the address`, {
      cause: err,
      retryable: true,
    });
  }
  return new DisplayError('DISPLAY_IO', `display write to ${where} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err, retryable: true });
}

/**
 * A 16/20-column, 2/4-row HD44780 character LCD behind a PCF8574 I2C backpack. Writes are
 * serialised (one bus transaction sequence at a time) and only rows that changed are rewritten,
 * so a notice does not make the whole screen flicker. After a failed write the next `show`
 * initialises the controller again: a backpack that lost power comes back in 8-bit mode.
 */
export class I2cDisplay extends EventEmitter<DisplayEvents> implements Display {
  readonly columns: number;
  readonly rows: number;
  #bus: I2cBus | null = null;
  #shown: string[];
  #needsInit = true;
  #chain: Promise<unknown> = Promise.resolve();
  readonly #pause: (ms: number) => Promise<void>;
  readonly #log: Logger;

  constructor(private readonly opts: I2cDisplayOptions) {
    super();
    this.columns = opts.columns;
    this.rows = opts.rows;
    this.#shown = Array.from({ length: opts.rows }, () => ' '.repeat(opts.columns));
    this.#pause = opts.pause ?? ((ms) => sleep(ms));
    this.#log = opts.logger;
  }

  get isOpen(): boolean {
    return this.#bus !== null;
  }

  async open(): Promise<void> {
    if (this.#bus) return;
    try {
      this.#bus = await this.opts.openBus(this.opts.bus);
    } catch (err) {
      throw classify(err, this.opts, 'open');
    }
    try {
      await this.#initialise();
    } catch (err) {
      const bus = this.#bus;
      this.#bus = null;
      await bus.close().catch(() => undefined);
      throw classify(err, this.opts, 'open');
    }
  }

  async close(): Promise<void> {
    const bus = this.#bus;
    if (!bus) return;
    await this.#chain.catch(() => undefined);
    try {
      for (const s of shutdown()) await this.#step(bus, s);
    } catch (err) {
      this.#log.warn({ err }, 'display: could not blank the screen on close');
    } finally {
      this.#bus = null;
      await bus.close().catch(() => undefined);
    }
  }

  show(lines: readonly string[]): Promise<void> {
    if (lines.length > this.rows) {
      return Promise.reject(new RangeError(`${lines.length} lines for a display of ${this.rows} rows`));
    }
    const fitted = Array.from({ length: this.rows }, (_, i) => fitRow(lines[i] ?? '', this.columns));
    return this.#serial(async (bus) => {
      if (this.#needsInit) await this.#initialise();
      for (let row = 0; row < this.rows; row++) {
        if (fitted[row] === this.#shown[row]) continue;
        await this.#step(bus, writeRow(row, fitted[row], this.columns));
        this.#shown[row] = fitted[row];
      }
    });
  }

  clear(): Promise<void> {
    return this.#serial(async (bus) => {
      if (this.#needsInit) await this.#initialise();
      await this.#step(bus, clearScreen());
      this.#shown = this.#shown.map(() => ' '.repeat(this.columns));
    });
  }

  lines(): readonly string[] {
    return [...this.#shown];
  }

  #serial(work: (bus: I2cBus) => Promise<void>): Promise<void> {
    const run = this.#chain.catch(() => undefined).then(async () => {
      const bus = this.#bus;
      if (!bus) throw new DisplayError('DISPLAY_IO', 'display is not open');
      try {
        await work(bus);
      } catch (err) {
        if (err instanceof DisplayError) throw err;
        // Whatever the controller holds now is unknown: initialise (and so clear) next time.
        this.#needsInit = true;
        const fault = classify(err, this.opts, 'write');
        this.emit('fault', fault);
        throw fault;
      }
    });
    this.#chain = run;
    return run;
  }

  async #initialise(): Promise<void> {
    const bus = this.#bus;
    if (!bus) throw new DisplayError('DISPLAY_IO', 'display is not open');
    // Power-on: the controller needs > 40 ms after Vcc before it takes instructions.
    await this.#pause(50);
    for (const s of initSequence()) await this.#step(bus, s);
    this.#shown = this.#shown.map(() => ' '.repeat(this.columns));
    this.#needsInit = false;
  }

  async #step(bus: I2cBus, s: BusStep): Promise<void> {
    const buf = Buffer.from(s.bytes);
    const { bytesWritten } = await bus.i2cWrite(this.opts.address, buf.length, buf);
    if (bytesWritten !== buf.length) {
      throw Object.assign(new Error(`short I2C write: ${bytesWritten} of ${buf.length} bytes`), { code: 'EIO' });
    }
    if (s.pauseMs > 0) await this.#pause(s.pauseMs);
  }
}
