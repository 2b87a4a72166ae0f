import { CodedError } from '../../drivers/deviceError.ts';
import type { FingerImage } from '../../drivers/fingerprint/types.ts';
import type { CaptureGuidance } from '../../matcher/types.ts';

export type VerifyOutcome =
  /** The live finger matches the chip template at the configured false-match rate. */
  | { readonly decision: 'match'; readonly score: number; readonly quality: number }
  | { readonly decision: 'no_match'; readonly score: number; readonly quality: number }
  /** Capture refused before matching: a retry with guidance, never a verdict. */
  | { readonly decision: 'retry'; readonly guidance: CaptureGuidance; readonly quality: number };

/**
 * 1:1 verification as the transaction sees it. The implementation runs the project's matcher in a
 * worker thread so the event loop (buttons, MQTT keepalive, watchdog) never stalls. The image and
 * template are transferred to the worker and zeroed after use; nothing is kept.
 */
export interface Verifier {
  verify(image: FingerImage, isoTemplate: Uint8Array, opts?: { signal?: AbortSignal }): Promise<VerifyOutcome>;
  /** The score threshold in force and the FMR it was derived from, for `info` and logs. */
  describe(): { readonly matcher: string; readonly version: string; readonly fmr: number; readonly threshold: number };
  close(): Promise<void>;
}

/**
 * Why a verification could not produce an outcome. `INVALID_TEMPLATE`: the chip's ISO record is
 * malformed (a verdict on the card, not retryable). `INVALID_IMAGE`: the sensor frame is
 * structurally broken. `WORKER_CRASHED`: the matcher thread died; it has been restarted, so a
 * retry is safe. `CANCELED`: the caller's AbortSignal fired. `CLOSED`: the verifier was closed.
 */
export type MatchingErrorCode = 'INVALID_TEMPLATE' | 'INVALID_IMAGE' | 'WORKER_CRASHED' | 'CANCELED' | 'CLOSED';

export class MatchingError extends CodedError<MatchingErrorCode> {}
