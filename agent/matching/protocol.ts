import type { VerifyOutcome } from './types.ts';
import type { MatchingErrorCode } from './types.ts';

/** Messages between WorkerVerifier and its worker thread (structured clone, buffers transferred). */
export interface VerifyRequest {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  /** Transferred copy of the frame; the worker zeroes it after use. */
  readonly pixels: ArrayBuffer;
  /** Transferred copy of the ISO/IEC 19794-2 record; zeroed after use. */
  readonly iso: ArrayBuffer;
  readonly threshold: number;
}

export type VerifyResponse =
  | { readonly id: number; readonly ok: true; readonly outcome: VerifyOutcome; readonly ms: number; readonly minutiae: number }
  | { readonly id: number; readonly ok: false; readonly code: MatchingErrorCode; readonly message: string };
