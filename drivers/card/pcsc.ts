import { setTimeout as sleep } from 'node:timers/promises';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type pcscType from 'pcsclite';
import type { ApduTransport } from './apdu.ts';
import { withTimeout } from '../deviceError.ts';
import type { Logger } from '../logger.ts';
import { fromPcscError } from './pcscErrors.ts';
import { readEktp } from './readEktp.ts';
import type { Sam } from './sam.ts';
import { nextCardEvent } from './cardEvents.ts';
import {
  CardError,
  type CardData,
  type CardErrorCode,
  type CardReader,
  type CardReaderEvents,
  type ReaderHealth,
  type ReaderState,
} from './types.ts';

type PcscContext = ReturnType<typeof pcscType>;
// pcsclite's typings do not export their CardReader interface: take it from the 'reader' listener
// (the last `on` overload).
type PcscReader = Parameters<Parameters<PcscContext['on']>[1]>[0] extends infer R
  ? R extends { transmit: unknown }
    ? R
    : never
  : never;

// pcsclite is a CommonJS native addon; load it lazily so the sim path never needs libpcsclite.
const require = createRequire(import.meta.url);
let pcscModule: typeof pcscType | undefined;
function pcsclite(): PcscContext {
  pcscModule ??= require('pcsclite') as typeof pcscType;
  return pcscModule();
}

export interface PcscReaderOptions {
  /** Reader name, exact or a prefix; default the first reader that is not the SAM reader. */
  readonly readerName?: string;
  /** Reader name of the SAM slot, excluded from the card reader choice. */
  readonly samReaderName?: string;
  /** Use extended-length APDUs (default true). Turn off for readers limited to short APDUs. */
  readonly extendedLength?: boolean;
  /** Plain bytes per READ BINARY (see readEktp). */
  readonly chunkSize?: number;
  /** How often to try a new PC/SC context after pcscd went away (default 1000 ms). */
  readonly reconnectMs?: number;
  /** How long open() waits for the reader to appear (default 3000 ms). */
  readonly openTimeoutMs?: number;
}

const SCARD_STATE_PRESENT = 0x20;
const SCARD_STATE_MUTE = 0x200;
const SCARD_SHARE_EXCLUSIVE = 1;
const SCARD_PROTOCOL_T0_T1 = 3;
const SCARD_RESET_CARD = 1;
/** Debounce between a reader's `end` and the context's `error` to tell unplug from pcscd loss. */
const LOSS_SETTLE_MS = 100;
/** Upper bound on waiting for a reader's first status event before closing it. */
const STATUS_SETTLE_MS = 1000;
/** How long a reader's status thread must have been quiet before it is closed. */
const STATUS_QUIET_MS = 100;

/**
 * Every pcsclite context and reader stays reachable for the life of the process: their native
 * destructors (run by GC) cancel and join threads and free state that a late libuv close
 * callback still reads. One context and its readers per open or pcscd restart is a bounded cost.
 */
const retained: object[] = [];

function settle(r: PcscReader, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      r.off('status', done);
      r.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    r.once('status', done);
    r.once('end', done);
  });
}

/**
 * The PC/SC card reader (pcsc-lite through node `pcsclite`), reading e-KTP cards with the
 * development profile through an injected SAM. Reader hot-plug, card presence and pcscd restarts
 * come from pcsc-lite's status-change threads; when pcscd goes away the context is dropped and a
 * new one is tried every `reconnectMs` until the reader is back (`reader-ready`).
 */
export class PcscCardReader extends EventEmitter<CardReaderEvents> implements CardReader {
  readonly #opts: Required<Omit<PcscReaderOptions, 'readerName' | 'samReaderName' | 'chunkSize'>> & PcscReaderOptions;
  readonly #sam: Sam;
  readonly #log: Logger;
  #isOpen = false;
  #ctx: PcscContext | undefined;
  #reader: PcscReader | undefined;
  #state: ReaderState = 'absent';
  #samState: ReaderHealth['sam'] = 'absent';
  #cardPresent = false;
  #lastError: CardErrorCode | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #lossTimer: NodeJS.Timeout | undefined;
  #busy: Promise<unknown> = Promise.resolve();
  readonly #lastStatusAt = new WeakMap<object, number>();
  #dropping: Promise<void> = Promise.resolve();
  /** Number of APDUs of the last read, for the benchmark. */
  lastApduCount = 0;
  /** Time the last read spent waiting in SCardTransmit (pcscd, reader and card), for the benchmark. */
  lastTransmitMs = 0;

  constructor(opts: PcscReaderOptions, sam: Sam, log: Logger) {
    super();
    this.#opts = { extendedLength: true, reconnectMs: 1000, openTimeoutMs: 3000, ...opts };
    this.#sam = sam;
    this.#log = log;
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  health(): ReaderHealth {
    return { reader: this.#state, sam: this.#samState, cardPresent: this.#cardPresent, lastError: this.#lastError };
  }

  async open(): Promise<void> {
    if (this.#isOpen) return;
    this.#isOpen = true;
    try {
      this.#startContext();
      if (!this.#ctx) throw new CardError('SERVICE_UNAVAILABLE', 'pcscd is not running', { retryable: true });
      await this.#waitForReader(this.#opts.openTimeoutMs);
      try {
        await this.#sam.open();
        this.#samState = 'ok';
      } catch (err) {
        this.#samState = err instanceof CardError && err.code === 'SAM_REFUSED' ? 'locked' : 'error';
        throw err;
      }
    } catch (err) {
      await this.close();
      throw this.#note(err instanceof CardError ? err : fromPcscError(err, 'open'));
    }
  }

  async close(): Promise<void> {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#lossTimer);
    await this.#busy.catch(() => undefined);
    await this.#dropContext();
    await this.#dropping;
    await this.#sam.close().catch(() => undefined);
    this.#state = 'absent';
    this.#cardPresent = false;
  }

  waitForCard(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
    if (this.#cardPresent) return Promise.resolve();
    return this.#guarded((signal) => nextCardEvent(this, 'card-inserted', signal), opts, 'wait-for-card');
  }

  readCard(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<CardData> {
    const run = async (signal: AbortSignal): Promise<CardData> => {
      await this.#busy.catch(() => undefined);
      const reader = this.#usableReader();
      if (!this.#cardPresent) throw new CardError('NO_CARD', 'no card on the reader', { retryable: true });
      const work = this.#session(reader, signal);
      this.#busy = work.catch(() => undefined);
      return work;
    };
    return this.#guarded(run, opts, 'read-card').then(
      (data) => {
        this.#samState = 'ok';
        return data;
      },
      (err: unknown) => {
        const e = err instanceof CardError ? err : fromPcscError(err, 'read-card');
        if (e.code === 'SAM_REFUSED') this.#samState = 'locked';
        if (e.code === 'SAM_ABSENT') this.#samState = 'absent';
        throw this.#note(e);
      },
    );
  }

  async #session(reader: PcscReader, signal: AbortSignal): Promise<CardData> {
    const protocol = await new Promise<number>((resolve, reject) =>
      reader.connect({ share_mode: SCARD_SHARE_EXCLUSIVE, protocol: SCARD_PROTOCOL_T0_T1 }, (err, p) => {
        if (err) reject(fromPcscError(err, 'connect'));
        else resolve(p);
      }),
    );
    const resLen = this.#opts.extendedLength ? 65538 : 258;
    let transmitMs = 0;
    const send = (apdu: Uint8Array) => {
      const started = performance.now();
      return new Promise<Uint8Array>((resolve, reject) =>
        reader.transmit(Buffer.from(apdu), resLen, protocol, (err, data) => {
          transmitMs += performance.now() - started;
          if (err) reject(fromPcscError(err, 'transmit'));
          else resolve(new Uint8Array(data));
        }),
      );
    };
    const transport: ApduTransport = {
      async transmit(apdu) {
        const resp = await send(apdu);
        if (resp.length >= 2) return resp;
        // A card leaving the field mid-command shows up as an empty answer first (vpcd) and only
        // then as failures; probe with GET DATA (UID) to tell "pulled" from "garbled". The
        // session is lost either way, so the probe cannot disturb anything.
        try {
          await send(Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00));
        } catch (err) {
          throw new CardError('CARD_REMOVED', 'card stopped answering during the read', { retryable: true, cause: err });
        }
        return resp;
      },
    };
    let count = 0;
    try {
      const data = await readEktp(transport, this.#sam, {
        extendedLength: this.#opts.extendedLength,
        chunkSize: this.#opts.chunkSize,
        signal,
        onApdu: () => count++,
      });
      return data;
    } finally {
      this.lastApduCount = count;
      this.lastTransmitMs = transmitMs;
      // Reset, not leave: the next resident's card must start with no session or selection.
      await new Promise<void>((resolve) => reader.disconnect(SCARD_RESET_CARD, () => resolve()));
    }
  }

  /** Runs `work` under the caller's signal and timeout, mapping both to coded errors. */
  #guarded<T>(work: (signal: AbortSignal) => Promise<T>, opts: { signal?: AbortSignal; timeoutMs: number }, step: string): Promise<T> {
    if (!this.#isOpen) return Promise.reject(new CardError('READER_ABSENT', 'card reader is not open'));
    const ctl = new AbortController();
    const onAbort = () => ctl.abort(new CardError('CANCELED', `${step} canceled`));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    return withTimeout(
      work,
      opts.timeoutMs,
      () => new CardError('TIMEOUT', `${step} took longer than ${opts.timeoutMs} ms`, { retryable: true, detail: { step } }),
      ctl.signal,
    ).finally(() => opts.signal?.removeEventListener('abort', onAbort));
  }

  #usableReader(): PcscReader {
    if (this.#state === 'service_unavailable' || !this.#ctx) {
      throw new CardError('SERVICE_UNAVAILABLE', 'pcscd is not available', { retryable: true });
    }
    if (!this.#reader || this.#state !== 'ok') throw new CardError('READER_ABSENT', 'card reader is not connected', { retryable: true });
    return this.#reader;
  }

  #note(err: CardError): CardError {
    if (err.code !== 'CANCELED') this.#lastError = err.code;
    return err;
  }

  #matches(name: string): boolean {
    const want = this.#opts.readerName;
    const sam = this.#opts.samReaderName;
    if (want) return name === want || name.startsWith(want);
    return !(sam && (name === sam || name.startsWith(sam)));
  }

  #startContext(): void {
    let ctx: PcscContext;
    try {
      ctx = pcsclite();
    } catch (err) {
      this.#state = 'service_unavailable';
      this.#log.debug({ err: (err as Error).message }, 'no PC/SC context');
      return;
    }
    this.#ctx = ctx;
    retained.push(ctx);
    if (this.#state === 'service_unavailable') this.#state = 'absent';
    ctx.on('error', (err: unknown) => this.#onContextError(ctx, err));
    ctx.on('reader', (r) => {
      if (this.#ctx !== ctx) return;
      retained.push(r);
      r.on('status', () => this.#lastStatusAt.set(r, performance.now()));
      if (this.#reader || !this.#matches(r.name)) {
        r.on('error', () => undefined);
        return;
      }
      this.#attach(ctx, r as PcscReader);
    });
  }

  #attach(ctx: PcscContext, r: PcscReader): void {
    this.#reader = r;
    this.#state = 'ok';
    clearTimeout(this.#lossTimer);
    this.#log.info({ reader: r.name }, 'card reader ready');
    r.on('error', (err: unknown) => this.#log.debug({ err: String(err) }, 'reader status error'));
    r.on('status', (status) => {
      if (this.#reader !== r) return;
      const present = (status.state & SCARD_STATE_PRESENT) !== 0 && (status.state & SCARD_STATE_MUTE) === 0;
      if (present === this.#cardPresent) return;
      this.#cardPresent = present;
      this.emit(present ? 'card-inserted' : 'card-removed');
    });
    r.on('end', () => {
      if (this.#reader !== r) return;
      this.#reader = undefined;
      const hadCard = this.#cardPresent;
      this.#cardPresent = false;
      if (hadCard) this.emit('card-removed');
      // Either the reader was unplugged or pcscd died; the context error tells which.
      this.#lossTimer = setTimeout(() => {
        if (this.#ctx === ctx && this.#state === 'ok') this.#lost('absent', new CardError('READER_ABSENT', `reader ${r.name} removed`, { retryable: true }));
      }, LOSS_SETTLE_MS);
    });
    this.emit('reader-ready');
  }

  #onContextError(ctx: PcscContext, err: unknown): void {
    if (this.#ctx !== ctx) return;
    this.#dropping = this.#dropContext();
    this.#lost('service_unavailable', fromPcscError(err, 'pcscd'));
    this.#scheduleReconnect();
  }

  #lost(state: ReaderState, err: CardError): void {
    const wasOk = this.#state === 'ok';
    this.#state = state;
    this.#lastError = err.code;
    if (this.#cardPresent) {
      this.#cardPresent = false;
      this.emit('card-removed');
    }
    this.#log.warn({ code: err.code }, 'card reader lost');
    if (wasOk || state === 'service_unavailable') this.emit('reader-lost', err);
  }

  #scheduleReconnect(): void {
    if (!this.#isOpen) return;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      if (!this.#isOpen || this.#ctx) return;
      this.#startContext();
      if (!this.#ctx) this.#scheduleReconnect();
    }, this.#opts.reconnectMs);
  }

  /**
   * Releases the context and its readers. node-pcsclite 1.0.1 leaks a libuv handle (and the
   * process never exits) when a reader is closed while its status thread is not blocked in
   * SCardGetStatusChange, so each reader is closed only after its first `status` event and a
   * quiet period.
   */
  async #dropContext(): Promise<void> {
    const ctx = this.#ctx as (PcscContext & { readers?: Record<string, PcscReader> }) | undefined;
    this.#ctx = undefined;
    this.#reader = undefined;
    if (!ctx) return;
    const readers = Object.values(ctx.readers ?? {});
    await Promise.all(
      readers.map(async (r) => {
        if (!this.#lastStatusAt.has(r)) await settle(r, STATUS_SETTLE_MS);
        // Right after an event the status thread is between loops; closing then either leaks
        // its handle or, if it is slow to block again, makes close() join forever. Wait until
        // it has been quiet long enough to be blocked in SCardGetStatusChange.
        for (;;) {
          const quietFor = performance.now() - (this.#lastStatusAt.get(r) ?? 0);
          if (quietFor >= STATUS_QUIET_MS) break;
          await sleep(STATUS_QUIET_MS - quietFor);
        }
        try {
          r.close();
        } catch {
          // Already closed by pcsc-lite when the daemon went away.
        }
      }),
    );
    try {
      ctx.close();
    } catch {
      // Same: the monitoring thread may already have ended.
    }
  }

  #waitForReader(timeoutMs: number): Promise<void> {
    if (this.#state === 'ok') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('reader-ready', onReady);
        const names = Object.keys((this.#ctx as unknown as { readers?: object })?.readers ?? {});
        reject(
          new CardError('READER_ABSENT', `card reader ${this.#opts.readerName ?? '(any)'} not found`, {
            retryable: true,
            detail: { readers: names },
          }),
        );
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once('reader-ready', onReady);
    });
  }
}
