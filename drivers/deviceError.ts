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

/** Rejects with `onTimeout()` after `ms`, or with the signal's reason when aborted. */
export function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  onTimeout: () => Error,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const abortFromOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) return Promise.reject(outer.reason);
  outer?.addEventListener('abort', abortFromOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = onTimeout();
      controller.abort(err);
      reject(err);
    }, ms);
  });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  return Promise.race([work(controller.signal), timeout, aborted]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abortFromOuter);
  });
}
