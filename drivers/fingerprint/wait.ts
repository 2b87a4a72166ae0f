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
 * fires. `onGiveUp` runs first on either so the owner can drop or cancel the abandoned work; the
 * abort reason is kept as `cause` because a caller's AbortError says nothing a counter can act on.
 */
export function waitForSettled<T>(work: Promise<T>, opts: CaptureOptions, onGiveUp: () => void): Promise<T> {
  const { signal, timeoutMs } = opts;
  if (signal?.aborted) {
    onGiveUp();
    work.catch(() => {});
    return Promise.reject(canceledError(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const giveUp = (err: SensorError) => {
      finish(() => {
        onGiveUp();
        work.catch(() => {});
        reject(err);
      });
    };
    const onAbort = () => giveUp(canceledError(signal?.reason));
    const timer = setTimeout(() => giveUp(timeoutError(timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
