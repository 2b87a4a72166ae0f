/**
 * Orientation field of a synthetic master (SFinGe step 2). Loops, whorls and tented arches use the
 * Sherlock–Monro zero-pole model: ridge direction θ(z) = θ∞ + ½·(Σ arg(z − delta) − Σ arg(z − core)),
 * which puts a +½ turn at each core and a −½ turn at each delta. Plain arches have no singular
 * points, so they use a smooth "hill" field instead. Low-frequency noise (up to about 25°) keeps two
 * fingers of one class from having the same flow.
 */
import { smoothNoise } from './field.ts';
import type { Rng } from './random.ts';
import type { PatternClass, Point } from './types.ts';

export interface SingularPoints {
  readonly cores: readonly Point[];
  readonly deltas: readonly Point[];
}

/** Natural class frequencies (Wilson et al., as used by SFinGe), arch and tented arch rare. */
const PATTERNS: readonly PatternClass[] = ['arch', 'tented_arch', 'left_loop', 'right_loop', 'whorl'];
const PATTERN_WEIGHTS = [0.037, 0.029, 0.338, 0.317, 0.279];

export function pickPattern(rng: Rng): PatternClass {
  return rng.pick(PATTERNS, PATTERN_WEIGHTS);
}

/** Places cores and deltas for a class, in pixels of a width×height master. */
export function placeSingularPoints(pattern: PatternClass, width: number, height: number, rng: Rng): SingularPoints {
  const cx = width * rng.range(0.44, 0.56);
  const cy = height * rng.range(0.36, 0.46);
  switch (pattern) {
    case 'arch':
      return { cores: [], deltas: [] };
    case 'tented_arch':
      return {
        cores: [{ x: cx, y: cy }],
        deltas: [{ x: cx + rng.range(-6, 6), y: cy + rng.range(45, 70) }],
      };
    case 'left_loop':
    case 'right_loop': {
      // The delta sits on the side the loop does not open to.
      const side = pattern === 'left_loop' ? 1 : -1;
      const core = { x: cx - side * rng.range(0, 15), y: cy };
      return {
        cores: [core],
        deltas: [{ x: core.x + side * rng.range(70, 110), y: core.y + rng.range(85, 125) }],
      };
    }
    case 'whorl': {
      const tilt = rng.range(-0.5, 0.5);
      const half = rng.range(8, 18);
      return {
        cores: [
          { x: cx - half * Math.sin(tilt), y: cy - half * Math.cos(tilt) },
          { x: cx + half * Math.sin(tilt), y: cy + half * Math.cos(tilt) },
        ],
        deltas: [
          { x: cx - rng.range(80, 115), y: cy + rng.range(85, 130) },
          { x: cx + rng.range(80, 115), y: cy + rng.range(85, 130) },
        ],
      };
    }
  }
}

/** Ridge direction in [0, π) per pixel. */
export function orientationField(
  pattern: PatternClass,
  points: SingularPoints,
  width: number,
  height: number,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(width * height);
  const wobble = smoothNoise(width, height, 90, rng.fork(1));
  // Real fingers of one class differ from the zero-pole model by 10-25 degrees of smooth flow;
  // less makes every loop alike, and impostor comparisons of synthetic fingers score far higher
  // than real ones do.
  const wobbleAmp = rng.range(0.2, 0.4);
  if (pattern === 'arch') {
    const amp = rng.range(0.7, 1.2);
    const peakY = height * rng.range(0.4, 0.55);
    const cx = width * rng.range(0.45, 0.55);
    for (let y = 0; y < height; y++) {
      const a = amp * Math.exp(-(((y - peakY) / (0.38 * height)) ** 2));
      for (let x = 0; x < width; x++) {
        // On screen the ridge rises towards the middle: slope dy/dx < 0 left of centre.
        const slope = a * Math.sin((Math.PI * (x - cx)) / width);
        out[y * width + x] = wrapPi(Math.atan(slope) + wobbleAmp * wobble[y * width + x]);
      }
    }
    return out;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let theta = 0;
      // Sign convention (checked on rendered prints): arguments in screen-up coordinates and the
      // angle stored unnegated on the y-down raster give a core the recurving loop and a delta
      // the triradius; negating either one swaps them.
      for (const d of points.deltas) theta += Math.atan2(d.y - y, x - d.x);
      for (const c of points.cores) theta -= Math.atan2(c.y - y, x - c.x);
      out[y * width + x] = wrapPi(theta / 2 + wobbleAmp * wobble[y * width + x]);
    }
  }
  return out;
}

export function wrapPi(a: number): number {
  const r = a % Math.PI;
  return r < 0 ? r + Math.PI : r;
}
