import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The base of every coded error: `code` is a stable string that the agent's single error boundary
 * (agent/operatorMessages.ts) maps to an LED pattern, a printed line and a log entry. Each area
 * has its own subclass narrowing the code union (devices: DeviceError; the counter, matching,
 * systemd and status have theirs in agent/), so `isCodedError` and `err.code` are all the
 * boundary needs.
 *
 * `retryable` separates "try again" (a smudged frame, a busy reader) from a verdict or a broken
 * device: the counter loops only on retryable errors (domain brief §3, pain point 6).
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  readonly retryable: boolean;
  /** Extra machine-readable facts for the log. Never personal or biometric data. */
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(
    code: C,
    message: string,
    options: { retryable?: boolean; detail?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.detail = Object.freeze({ ...(options.detail ?? {}) });
  }
}

/** An error of a device (card reader, fingerprint sensor, panel, printer): the drivers' base. */
export class DeviceError<C extends string = string> extends CodedError<C> {}

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}

export function isDeviceError(err: unknown): err is DeviceError {
  return err instanceof DeviceError;
}

/**
 * The one timeout/abort idiom, assembled from the platform: `work` gets a signal that aborts on
 * the caller's `outer` signal or after `ms` with `onTimeout()` as its reason (AbortSignal.any),
 * and the result is whichever comes first, `work` settling or that signal firing (events.once on
 * the signal), so work that ignores its signal is abandoned rather than awaited. The deadline is
 * a node:timers/promises timer: AbortSignal.timeout's timer is unref'd and would let the process
 * exit while only a simulator or a stuck doctor check is pending.
 */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  onTimeout: () => Error,
  outer?: AbortSignal,
): Promise<T> {
  outer?.throwIfAborted();
  const deadline = new AbortController();
  const settled = new AbortController();
  const signal = outer ? AbortSignal.any([outer, deadline.signal]) : deadline.signal;
  delay(ms, undefined, { signal: settled.signal }).then(
    () => deadline.abort(onTimeout()),
    () => {},
  );
  try {
    return await Promise.race([
      work(signal),
      once(signal, 'abort', { signal: settled.signal }).then(() => {
        throw signal.reason;
      }),
    ]);
  } finally {
    settled.abort();
  }
}
