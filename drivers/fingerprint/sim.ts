import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { canceledError, checkCaptureOptions, waitForSettled } from './wait.ts';
import type { FingerImage, FingerprintSensor, SensorErrorCode, SensorEvents, SensorHealth } from './types.ts';
import { SensorError } from './types.ts';

export interface SimFingerprintOptions {
  /** Reported in health(); the agent publishes it as fp_sensor_model. */
  readonly model?: string;
  readonly logger?: Logger;
}

interface PendingCapture {
  readonly resolve: (image: FingerImage) => void;
  readonly reject: (err: SensorError) => void;
}

/**
 * A sensor in memory with the same contract as the USB driver. Tests and the laptop demo drive it
 * through `present()`, `presentNothing()`, `unplug()` and `replug()`. Like the real sensor, a
 * capture stays pending until a finger (a queued frame) arrives, and completes on a later tick.
 */
export class SimFingerprintSensor extends EventEmitter<SensorEvents> implements FingerprintSensor {
  readonly #model: string;
  readonly #log: Logger;
  #isOpen = false;
  #plugged = true;
  #lastError: SensorErrorCode | undefined;
  readonly #queue: FingerImage[] = [];
  #pending: PendingCapture | undefined;

  constructor(opts: SimFingerprintOptions = {}) {
    super();
    this.#model = opts.model ?? 'simulated sensor';
    this.#log = (opts.logger ?? silentLogger).child({ module: 'fingerprint-sim' });
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Frames waiting for the next captures, oldest first. */
  get queued(): number {
    return this.#queue.length;
  }

  async open(): Promise<void> {
    await nextTick();
    if (this.#isOpen) return;
    if (!this.#plugged) throw this.#fail('ABSENT', 'fingerprint sensor is not connected');
    this.#isOpen = true;
    this.#lastError = undefined;
  }

  async close(): Promise<void> {
    this.#isOpen = false;
    this.#settle(new SensorError('CANCELED', 'capture canceled: sensor closed'));
    await nextTick();
  }

  health(): SensorHealth {
    const state = !this.#plugged ? 'absent' : this.#lastError ? 'error' : 'ok';
    return { state, model: this.#model, ...(this.#lastError ? { lastError: this.#lastError } : {}) };
  }

  async capture(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<FingerImage> {
    checkCaptureOptions(opts);
    await nextTick();
    if (!this.#isOpen) throw new SensorError('CANCELED', 'capture on a closed sensor', { detail: { reason: 'not-open' } });
    if (!this.#plugged) throw this.#fail('DISCONNECTED', 'fingerprint sensor was unplugged', true);
    if (this.#pending) throw new SensorError('BUSY', 'a capture is already running', { retryable: true });
    if (opts.signal?.aborted) throw canceledError(opts.signal.reason);
    const frame = this.#queue.shift();
    if (frame) return this.#ok(frame);

    const waiting = new Promise<FingerImage>((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
    try {
      return this.#ok(await waitForSettled(waiting, opts, () => (this.#pending = undefined)));
    } catch (err) {
      if (err instanceof SensorError && err.code !== 'CANCELED') this.#lastError = err.code;
      throw err;
    }
  }

  /** Test control: a finger lands; the frame answers the pending or the next capture. */
  present(image: FingerImage): void {
    if (this.#pending) {
      const { resolve } = this.#pending;
      this.#pending = undefined;
      resolve(image);
    } else {
      this.#queue.push(image);
    }
  }

  /** Test control: nobody touches the sensor, so the next capture runs into its timeout. */
  presentNothing(): void {
    this.#queue.length = 0;
  }

  /** Test control: the cable is pulled. A pending capture rejects with DISCONNECTED. */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#queue.length = 0;
    this.#lastError = 'DISCONNECTED';
    this.#settle(new SensorError('DISCONNECTED', 'fingerprint sensor was unplugged', { retryable: true }));
    this.#log.warn({ event: 'detached' }, 'fingerprint sensor detached');
    this.emit('detached');
  }

  /** Test control: the cable is back; an open sensor captures again without reopening. */
  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    this.#lastError = undefined;
    this.#log.info({ event: 'attached' }, 'fingerprint sensor attached');
    this.emit('attached');
  }

  /** Test control: back to a plugged, closed sensor with nothing queued. */
  reset(): void {
    this.#settle(new SensorError('CANCELED', 'capture canceled: simulator reset'));
    this.#queue.length = 0;
    this.#plugged = true;
    this.#isOpen = false;
    this.#lastError = undefined;
  }

  #ok(frame: FingerImage): FingerImage {
    this.#lastError = undefined;
    return frame;
  }

  #settle(err: SensorError): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(err);
  }

  #fail(code: SensorErrorCode, message: string, retryable = false): SensorError {
    this.#lastError = code;
    return new SensorError(code, message, { retryable });
  }
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
