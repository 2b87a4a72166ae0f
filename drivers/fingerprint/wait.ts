import { withTimeout } from '../deviceError.ts';
import { SensorError } from './types.ts';

export interface CaptureOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
}

/** Programming errors in the caller are TypeErrors naming the option, not sensor faults. */
export function checkCaptureOptions(opts: CaptureOptions): void {
  if (!Number.isInteger(opts.timeoutMs) || opts.timeoutMs <= 0 || opts.timeoutMs > 600_000) {
    throw new TypeError(`capture: timeoutMs must be an integer in 1..600000, got ${String(opts.timeoutMs)}`);
  }
}

export function canceledError(reason: unknown): SensorError {
  return new SensorError('CANCELED', 'capture canceled', { cause: reason });
}

export function timeoutError(timeoutMs: number): SensorError {
  return new SensorError('TIMEOUT', `no finger within ${timeoutMs} ms`, { retryable: true, detail: { timeoutMs } });
}

/**
 * Waits for `work` but gives up with TIMEOUT after `timeoutMs` or CANCELED when the caller's signal
 * fires (withTimeout, the drivers' one abort idiom). `onGiveUp` runs first on either so the owner
 * can drop or cancel the abandoned work; the abort reason is kept as `cause` because a caller's
 * AbortError says nothing a counter can act on.
 */
export async function waitForSettled<T>(work: Promise<T>, opts: CaptureOptions, onGiveUp: () => void): Promise<T> {
  let timedOut: SensorError | undefined;
  try {
    return await withTimeout(() => work, opts.timeoutMs, () => (timedOut = timeoutError(opts.timeoutMs)), opts.signal);
  } catch (err) {
    const gaveUp = timedOut !== undefined && err === timedOut ? timedOut : opts.signal?.aborted && err === opts.signal.reason ? canceledError(err) : null;
    if (!gaveUp) throw err;
    onGiveUp();
    work.catch(() => {});
    throw gaveUp;
  }
}
