import { setTimeout as delay } from 'node:timers/promises';
import { EventEmitter } from 'node:events';
import { withTimeout } from '../deviceError.ts';
import type { ApduTransport } from './apdu.ts';
import { DevSam } from './devSam.ts';
import { readEktp } from './readEktp.ts';
import {
  CardError,
  type CardData,
  type CardErrorCode,
  type CardReader,
  type CardReaderEvents,
  type ReaderHealth,
} from './types.ts';
import { VirtualEktpCard, type VirtualCardSpec } from './virtual/ektpCard.ts';
import { nextCardEvent } from './cardEvents.ts';

/** Codes a counter may simply retry (card re-presented, reader back): mirrors the PC/SC driver. */
const RETRYABLE: ReadonlySet<CardErrorCode> = new Set([
  'READER_ABSENT',
  'SERVICE_UNAVAILABLE',
  'NO_CARD',
  'CARD_REMOVED',
  'TRANSMIT_FAILED',
  'TIMEOUT',
]);

export function simCardError(code: CardErrorCode, message = `simulated ${code}`): CardError {
  return new CardError(code, message, { retryable: RETRYABLE.has(code), detail: { simulated: true } });
}

function isSpec(card: CardData | VirtualCardSpec): card is VirtualCardSpec {
  return 'resident' in card;
}

function copyCard(c: CardData): CardData {
  // Each read hands out fresh buffers: the transaction wipes them, the "chip" keeps its data.
  return {
    cardUid: c.cardUid,
    biodata: { ...c.biodata },
    photo: c.photo.slice(),
    signature: c.signature.slice(),
    fingers: c.fingers.map((f) => ({ position: f.position, template: f.template.slice() })),
    signatureValid: c.signatureValid,
  };
}

/**
 * In-memory card reader with test controls, for tests, the simulated counter and laptops.
 * A card given as `CardData` is returned as is; a card given as `VirtualCardSpec` (a resident
 * plus faults) is read through the full development-profile APDU sequence against an in-process
 * virtual chip and the development SAM (TEST KEYS), exactly as the pcsc path reads it.
 */
export class SimCardReader extends EventEmitter<CardReaderEvents> implements CardReader {
  readonly sam: DevSam;
  #isOpen = false;
  #plugged = true;
  #card: { data: CardData } | { chip: VirtualEktpCard; extended: boolean } | undefined;
  #failNext: CardErrorCode[] = [];
  #lastError: CardErrorCode | undefined;
  #reads = 0;
  #readLatencyMs: number;
  #samRefuses = false;

  constructor(opts: { readLatencyMs?: number } = {}) {
    super();
    this.sam = new DevSam();
    this.#readLatencyMs = opts.readLatencyMs ?? 0;
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Number of readCard() calls that reached the card. */
  get readCount(): number {
    return this.#reads;
  }

  // ---- test controls ----

  insertCard(card: CardData | VirtualCardSpec): void {
    const hadCard = this.#card !== undefined;
    this.#card = isSpec(card)
      ? { chip: new VirtualEktpCard(card), extended: card.extendedLength ?? true }
      : { data: copyCard(card) };
    if (hadCard) this.emit('card-removed');
    if (this.#plugged && this.#isOpen) this.emit('card-inserted');
  }

  removeCard(): void {
    if (!this.#card) return;
    this.#card = undefined;
    if (this.#plugged && this.#isOpen) this.emit('card-removed');
  }

  /** The reader's USB cable is pulled: reads fail with READER_ABSENT until `replug()`. */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#lastError = 'READER_ABSENT';
    if (this.#card && this.#isOpen) this.emit('card-removed');
    if (this.#isOpen) this.emit('reader-lost', simCardError('READER_ABSENT', 'simulated reader unplugged'));
  }

  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    if (!this.#isOpen) return;
    this.emit('reader-ready');
    if (this.#card) this.emit('card-inserted');
  }

  /** The next read fails with `code` (queued: call twice for two failures). CARD_REMOVED also takes the card away. */
  failNextRead(code: CardErrorCode): void {
    this.#failNext.push(code);
  }

  /** Makes the development SAM refuse (SAM_REFUSED) or accept again. */
  setSamRefuse(refuse: boolean): void {
    this.#samRefuses = refuse;
    this.sam.setRefuse(refuse);
  }

  // ---- CardReader ----

  async open(): Promise<void> {
    if (this.#isOpen) return;
    await this.sam.open();
    this.#isOpen = true;
  }

  async close(): Promise<void> {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    await this.sam.close();
  }

  health(): ReaderHealth {
    return {
      reader: this.#plugged ? 'ok' : 'absent',
      sam: !this.#plugged ? 'absent' : this.#samRefuses ? 'locked' : 'ok',
      cardPresent: this.#plugged && this.#card !== undefined,
      lastError: this.#lastError,
    };
  }

  waitForCard(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
    if (!this.#isOpen) return Promise.reject(simCardError('READER_ABSENT', 'card reader is not open'));
    if (this.#plugged && this.#card) return Promise.resolve();
    return this.#guard((signal) => nextCardEvent(this, 'card-inserted', signal), opts, 'wait-for-card');
  }

  readCard(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<CardData> {
    return this.#guard((signal) => this.#read(signal), opts, 'read-card').catch((err: unknown) => {
      if (err instanceof CardError && err.code !== 'CANCELED') this.#lastError = err.code;
      throw err;
    });
  }

  async #read(signal: AbortSignal): Promise<CardData> {
    if (!this.#isOpen || !this.#plugged) throw simCardError('READER_ABSENT', 'card reader is not connected');
    const card = this.#card;
    if (!card) throw simCardError('NO_CARD', 'no card on the reader');
    this.#reads++;
    if (this.#readLatencyMs > 0) await sleep(this.#readLatencyMs, signal);
    const fail = this.#failNext.shift();
    if (fail) {
      if (fail === 'CARD_REMOVED') this.removeCard();
      throw simCardError(fail);
    }
    if ('data' in card) return copyCard(card.data);
    card.chip.reset();
    const transport: ApduTransport = {
      transmit: async (apdu) => {
        const action = card.chip.handle(apdu);
        // A hung chip: only the read's timeout or abort ends the wait.
        if (action.kind === 'stalled') return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
        if (action.kind === 'pulled') {
          this.removeCard();
          throw simCardError('CARD_REMOVED', 'card left the field during the read');
        }
        return action.bytes;
      },
    };
    return readEktp(transport, this.sam, { extendedLength: card.extended, signal });
  }

  #guard<T>(work: (signal: AbortSignal) => Promise<T>, opts: { signal?: AbortSignal; timeoutMs: number }, step: string): Promise<T> {
    const ctl = new AbortController();
    const onAbort = () => ctl.abort(simCardError('CANCELED', `${step} canceled`));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    return withTimeout(work, opts.timeoutMs, () => simCardError('TIMEOUT', `${step} took longer than ${opts.timeoutMs} ms`), ctl.signal).finally(
      () => opts.signal?.removeEventListener('abort', onAbort),
    );
  }
}

/** The platform's abortable sleep, rejecting with the abort reason itself (a coded error) rather than AbortError. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal.aborted ? signal.reason : err;
  });
}
