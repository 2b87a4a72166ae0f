/**
 * Master fingerprint (SFinGe): silhouette, singular points, orientation field, ridge period map,
 * then ridge growth. Everything is drawn from one seed, each stage from its own forked stream,
 * so the same seed always gives the same finger.
 */
import { smoothNoise } from './field.ts';
import { orientationField, pickPattern, placeSingularPoints } from './orientation.ts';
import { Rng } from './random.ts';
import { growRidges } from './ridges.ts';
import type { MasterPrint, PatternClass } from './types.ts';

export const MASTER_WIDTH = 300;
export const MASTER_HEIGHT = 380;
export const SYNTH_DPI = 500;
/** Typical adult ridge period at 500 dpi is 9–10 px (≈ 0.46 mm ridge-to-ridge). */
const PERIOD_MEAN_MIN = 8.8;
const PERIOD_MEAN_MAX = 10.2;
const MASTER_CACHE_SIZE = 24;

const cache = new Map<string, MasterPrint>();

export function generateMasterPrint(seed: number, opts: { pattern?: PatternClass } = {}): MasterPrint {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const key = `${Math.trunc(seed)}:${opts.pattern ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const master = buildMaster(Math.trunc(seed), opts.pattern);
  cache.set(key, master);
  if (cache.size > MASTER_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return master;
}

function buildMaster(seed: number, requested: PatternClass | undefined): MasterPrint {
  const width = MASTER_WIDTH;
  const height = MASTER_HEIGHT;
  const rng = new Rng(seed);
  const pattern = requested ?? pickPattern(rng.fork(1));
  const mask = silhouette(width, height, rng.fork(2));
  const points = placeSingularPoints(pattern, width, height, rng.fork(3));
  const orientation = orientationField(pattern, points, width, height, rng.fork(4));
  const period = periodMap(width, height, rng.fork(5));
  const ridges = growRidges(orientation, period, dilate(mask, width, height, 3), width, height, rng.fork(6));
  const image = masterImage(ridges, mask, width, height);
  return Object.freeze({
    seed,
    pattern,
    width,
    height,
    dpi: SYNTH_DPI,
    cores: Object.freeze(points.cores.map((p) => Object.freeze({ ...p }))),
    deltas: Object.freeze(points.deltas.map((p) => Object.freeze({ ...p }))),
    orientation,
    period,
    ridges,
    mask,
    image,
  });
}

/**
 * Fingertip outline: a super-ellipse, rounder at the top, that runs off the bottom edge like a
 * finger laid on a sensor (SFinGe uses four ellipse quarters and a rectangle to the same end).
 */
function silhouette(width: number, height: number, rng: Rng): Uint8Array {
  const mask = new Uint8Array(width * height);
  const cx = width * rng.range(0.47, 0.53);
  const halfW = width * rng.range(0.4, 0.47);
  const top = height * rng.range(0.02, 0.08);
  const waist = height * rng.range(0.45, 0.55);
  const halfTop = waist - top;
  const exponentTop = rng.range(2.0, 2.6);
  const exponentSide = rng.range(2.8, 3.6);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = Math.abs(x - cx) / halfW;
      let inside: boolean;
      if (y < waist) {
        const v = (waist - y) / halfTop;
        inside = u ** exponentTop + v ** exponentTop <= 1;
      } else {
        // Below the waist the sides taper only slightly towards the first crease.
        const taper = 1 - 0.08 * ((y - waist) / (height - waist)) ** 2;
        inside = u ** exponentSide <= taper;
      }
      if (inside) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/** Smoothly varying ridge period; ridges run a little wider towards the finger's base. */
function periodMap(width: number, height: number, rng: Rng): Float32Array {
  const mean = rng.range(PERIOD_MEAN_MIN, PERIOD_MEAN_MAX);
  const noise = smoothNoise(width, height, 110, rng.fork(1));
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out[y * width + x] = mean + 0.7 * noise[y * width + x] + 0.8 * (y / height - 0.4);
    }
  }
  return out;
}

/** Square dilation by r pixels (separable max). */
function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let i = Math.max(0, x - r); i <= Math.min(width - 1, x + r) && !v; i++) v = mask[y * width + i];
      rows[y * width + x] = v;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r) && !v; j++) v = rows[j * width + x];
      out[y * width + x] = v;
    }
  }
  return out;
}

function masterImage(ridges: Float32Array, mask: Uint8Array, width: number, height: number) {
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = mask[i] ? Math.round(127.5 - 127.5 * ridges[i]) : 255;
  }
  return Object.freeze({ width, height, dpi: SYNTH_DPI, pixels });
}
