/**
 * Public types of the matcher. The matcher is pure code: it imports nothing from agent/ or
 * drivers/, so it runs the same in a worker thread, a benchmark and a test.
 */

/** 8-bit grayscale image, dark ridges on light background, row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** Pixels per inch; 500 is nominal, other resolutions are rescaled before extraction. */
  readonly dpi: number;
  readonly pixels: Uint8Array;
}

export type MinutiaType = 'ending' | 'bifurcation';

/** One minutia in 500-dpi pixel coordinates; `direction` in radians [0, 2π), ISO convention. */
export interface Minutia {
  readonly x: number;
  readonly y: number;
  readonly direction: number;
  readonly type: MinutiaType;
  /** 0..100, ISO/IEC 19794-2 minutia quality. */
  readonly quality: number;
}

/** A finger template: immutable, coordinates at 500 dpi. */
export interface Template {
  readonly width: number;
  readonly height: number;
  readonly minutiae: readonly Minutia[];
}

/** Why a capture is refused before matching (a retry, not a verdict). */
export type CaptureGuidance =
  | 'NO_FINGER'
  | 'PRESS_HARDER'
  | 'PRESS_LIGHTER'
  | 'CENTER_FINGER'
  | 'CLEAN_SENSOR';

export interface Extraction {
  readonly template: Template;
  /** 0..100, NFIQ-like: higher is better. */
  readonly quality: number;
  /** Set when the capture should be refused and retaken. */
  readonly guidance: CaptureGuidance | null;
}

/**
 * A live probe (extractProbe): the template plus the same print extracted with other enhancement
 * settings, fused by verifyScore. Biometric data: memory only.
 */
export interface ProbeExtraction extends Extraction {
  /** Empty when the capture is refused (guidance set): it is never compared. */
  readonly alternates: readonly Template[];
}

export type TemplateErrorCode =
  | 'INVALID_TEMPLATE'
  | 'UNSUPPORTED_FORMAT'
  | 'TRUNCATED'
  | 'OUT_OF_RANGE';

/** Malformed template bytes. Never thrown for a merely poor image. */
export class TemplateError extends Error {
  readonly code: TemplateErrorCode;
  constructor(code: TemplateErrorCode, message: string) {
    super(message);
    this.name = 'TemplateError';
    this.code = code;
  }
}

/** Optional debugging hook (SourceAFIS "transparency"): payloads are built only when accepted. */
export interface Trace {
  accepts(key: string): boolean;
  take(key: string, data: unknown): void;
}
