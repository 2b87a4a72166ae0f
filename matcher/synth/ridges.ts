/**
 * Master ridge pattern by iterative Gabor growth (SFinGe step 4, Cappelli et al.): start from a
 * few random blobs and filter repeatedly with a Gabor kernel tuned to the local orientation and
 * ridge period. Each pass extends the ridges by about a kernel radius and pulls them onto the
 * local frequency; where fronts grown from different blobs meet out of phase the filter settles
 * on a ridge ending or bifurcation, which is how natural-looking minutiae appear.
 */
import type { Rng } from './random.ts';

const RADIUS = 6;
const SIDE = 2 * RADIUS + 1;
const TAPS = SIDE * SIDE;
const ANGLE_BINS = 36;
const PERIOD_MIN = 7;
const PERIOD_STEP = 0.5;
const PERIOD_BINS = 12;
/** Envelope widths: longer along the ridge so fronts keep running straight. */
const SIGMA_ALONG = 5.5;
const SIGMA_ACROSS = 2.8;
/** Amplifies each pass so the pattern saturates at ±1 (a binary-like print). */
const GAIN = 3;
const SEED_SPACING = 32;
const PASSES = 7;
const NOISE_START = 0.08;

let kernelBank: Float32Array | null = null;

/** Kernels for every (angle bin, period bin), TAPS floats each; built once per process. */
function kernels(): Float32Array {
  if (kernelBank) return kernelBank;
  const bank = new Float32Array(ANGLE_BINS * PERIOD_BINS * TAPS);
  for (let a = 0; a < ANGLE_BINS; a++) {
    const theta = (a * Math.PI) / ANGLE_BINS;
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let p = 0; p < PERIOD_BINS; p++) {
      const period = PERIOD_MIN + p * PERIOD_STEP;
      const base = (a * PERIOD_BINS + p) * TAPS;
      const env = new Float32Array(TAPS);
      const wave = new Float32Array(TAPS);
      let sumG = 0;
      let sumEnv = 0;
      for (let j = -RADIUS; j <= RADIUS; j++) {
        for (let i = -RADIUS; i <= RADIUS; i++) {
          const along = i * c + j * s;
          const across = -i * s + j * c;
          const k = (j + RADIUS) * SIDE + i + RADIUS;
          env[k] = Math.exp(-(along * along) / (2 * SIGMA_ALONG ** 2) - (across * across) / (2 * SIGMA_ACROSS ** 2));
          wave[k] = Math.cos((2 * Math.PI * across) / period);
          sumG += env[k] * wave[k];
          sumEnv += env[k];
        }
      }
      // Zero mean, so flat areas stay flat, then unit gain on the ridge wave it is tuned to.
      let response = 0;
      for (let k = 0; k < TAPS; k++) {
        const g = env[k] * (wave[k] - sumG / sumEnv);
        bank[base + k] = g;
        response += g * wave[k];
      }
      for (let k = 0; k < TAPS; k++) bank[base + k] /= response;
    }
  }
  kernelBank = bank;
  return bank;
}

/** Taps below this fraction of a kernel's peak are dropped: they change nothing visible. */
const TAP_CUTOFF = 0.06;

interface SparseBank {
  /** start[k]..start[k+1] index the taps of kernel k. */
  readonly start: Int32Array;
  readonly offset: Int32Array;
  readonly weight: Float32Array;
}

const sparseBanks = new Map<number, SparseBank>();

/** The kernel bank as per-kernel lists of (buffer offset, weight), for a padded row stride. */
function sparseBank(stride: number): SparseBank {
  const cached = sparseBanks.get(stride);
  if (cached) return cached;
  const bank = kernels();
  const count = ANGLE_BINS * PERIOD_BINS;
  const start = new Int32Array(count + 1);
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let k = 0; k < count; k++) {
    start[k] = offsets.length;
    let peak = 0;
    for (let t = 0; t < TAPS; t++) peak = Math.max(peak, Math.abs(bank[k * TAPS + t]));
    for (let t = 0; t < TAPS; t++) {
      const w = bank[k * TAPS + t];
      if (Math.abs(w) < TAP_CUTOFF * peak) continue;
      offsets.push((Math.floor(t / SIDE) - RADIUS) * stride + (t % SIDE) - RADIUS);
      weights.push(w);
    }
  }
  start[count] = offsets.length;
  const sparse = { start, offset: Int32Array.from(offsets), weight: Float32Array.from(weights) };
  sparseBanks.set(stride, sparse);
  return sparse;
}

/**
 * Grows the ridge signal inside `region` (1 = compute); elsewhere it stays 0. Returns values in
 * [-1, 1], +1 on ridge centres.
 */
export function growRidges(
  orientation: Float32Array,
  period: Float32Array,
  region: Uint8Array,
  width: number,
  height: number,
  rng: Rng,
): Float32Array {
  const pw = width + 2 * RADIUS;
  const ph = height + 2 * RADIUS;
  const { start, offset, weight } = sparseBank(pw);
  // Padded buffers: the border stays 0, so the inner loop needs no bounds checks.
  let src = new Float32Array(pw * ph);
  let dst = new Float32Array(pw * ph);
  const pixels: number[] = [];
  const kernelOf: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!region[i]) continue;
      const a = Math.round((orientation[i] / Math.PI) * ANGLE_BINS) % ANGLE_BINS;
      const p = Math.max(0, Math.min(PERIOD_BINS - 1, Math.round((period[i] - PERIOD_MIN) / PERIOD_STEP)));
      pixels.push((y + RADIUS) * pw + x + RADIUS);
      kernelOf.push(a * PERIOD_BINS + p);
      // Faint noise everywhere lets areas no seed front reaches still develop ridges.
      src[(y + RADIUS) * pw + x + RADIUS] = rng.range(-NOISE_START, NOISE_START);
    }
  }
  seedBlobs(src, pw, width, height, rng);
  const at = Int32Array.from(pixels);
  const kernel = Int32Array.from(kernelOf);
  for (let pass = 0; pass < PASSES; pass++) {
    for (let n = 0; n < at.length; n++) {
      const centre = at[n];
      const k = kernel[n];
      let acc = 0;
      for (let t = start[k], end = start[k + 1]; t < end; t++) acc += src[centre + offset[t]] * weight[t];
      const v = acc * GAIN;
      dst[centre] = v > 1 ? 1 : v < -1 ? -1 : v;
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    out.set(src.subarray((y + RADIUS) * pw + RADIUS, (y + RADIUS) * pw + RADIUS + width), y * width);
  }
  return out;
}

/**
 * Random ±1 discs at uniformly random places (one per SEED_SPACING² on average): the growth
 * fronts start here. Random, not a jittered grid: fronts meet (and minutiae form) along the
 * boundaries between seeds, and a grid would put every finger's minutiae on the same lattice,
 * making different fingers of one pattern class look alike to a matcher.
 */
function seedBlobs(buf: Float32Array, pw: number, width: number, height: number, rng: Rng): void {
  const count = Math.round((width * height) / (SEED_SPACING * SEED_SPACING));
  for (let n = 0; n < count; n++) {
    const x0 = Math.floor(rng.next() * width);
    const y0 = Math.floor(rng.next() * height);
    const sign = rng.next() < 0.5 ? -1 : 1;
    for (let j = -2; j <= 2; j++) {
      for (let i = -2; i <= 2; i++) {
        const x = x0 + i;
        const y = y0 + j;
        if (i * i + j * j > 5 || x < 0 || y < 0 || x >= width || y >= height) continue;
        buf[(y + RADIUS) * pw + x + RADIUS] = sign;
      }
    }
  }
}
