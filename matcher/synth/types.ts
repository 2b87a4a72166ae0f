/** Public types of the synthetic fingerprint generator. */
import type { GrayImage } from '../types.ts';

/** Henry-style pattern classes, as SFinGe generates them. */
export type PatternClass = 'arch' | 'tented_arch' | 'left_loop' | 'right_loop' | 'whorl';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * A synthetic finger: everything a capture of it is rendered from. Deterministic from `seed`.
 * The typed arrays are shared with every impression rendered from it: treat them as read-only.
 */
export interface MasterPrint {
  readonly seed: number;
  readonly pattern: PatternClass;
  readonly width: number;
  readonly height: number;
  /** Always 500. */
  readonly dpi: number;
  /** Singular points in master pixel coordinates. */
  readonly cores: readonly Point[];
  readonly deltas: readonly Point[];
  /** Ridge direction in radians [0, π), image axes (x right, y down). */
  readonly orientation: Float32Array;
  /** Local ridge period in pixels (≈ 8..12 at 500 dpi). */
  readonly period: Float32Array;
  /** Ridge signal in [-1, 1]: +1 ridge centre, −1 valley centre. Defined over the whole raster. */
  readonly ridges: Float32Array;
  /** Finger silhouette: 1 inside the fingertip, 0 outside. */
  readonly mask: Uint8Array;
  /** The master as an ideal 8-bit print (ridges dark, background white), for previews and tests. */
  readonly image: GrayImage;
}

/**
 * How one capture differs from the master. Every field is optional: a missing field is drawn
 * from the impression seed within "good capture" bounds, a given field is used as is.
 */
export interface ImpressionOptions {
  /** Translation of the finger on the sensor, pixels. Default: uniform ±12. */
  readonly dx?: number;
  readonly dy?: number;
  /** Rotation of the finger, degrees (counter-clockwise on screen). Default: normal σ 5, clipped ±15. */
  readonly rotationDeg?: number;
  /** Strength of skin (plastic) distortion, 0 = none .. 1 = strong. Default: 0.2..0.6. */
  readonly distortion?: number;
  /** Moisture/pressure, −1 = very dry/light (thin broken ridges) .. +1 = very wet/heavy (thick merged ridges). Default: ±0.2. */
  readonly pressure?: number;
  /** Sensor noise and skin texture, 0 = clean .. 1 = very noisy. Default: 0.15..0.35. */
  readonly noise?: number;
  /** Fraction of the fingertip in contact with the sensor, 0.1 .. 1. Default: 0.85..1. */
  readonly contact?: number;
  /** Where the contact area is centred, in output pixels. Default: near the fingertip centre. */
  readonly contactCenter?: Point;
  /** Overall contrast multiplier, 0..1 (1 = normal). Default: 0.85..1. */
  readonly contrast?: number;
}

export type BadFrameKind = 'blank' | 'too_light' | 'too_dark' | 'smudged' | 'partial';
