import type { BlockMask, FloatImage, FrequencyField, OrientationField, Raster } from '../primitives/fields.ts';
import { borrowFloat32 } from '../primitives/scratch.ts';
import {
  ACROSS_RIDGE_SIGMA_FACTOR,
  ALONG_RIDGE_HALF,
  ALONG_RIDGE_SIGMA,
  BLOCK,
  FILTER_ORIENTATIONS,
  MAX_RIDGE_PERIOD,
  MIN_RIDGE_PERIOD,
} from '../parameters.ts';

const ACROSS_MAX_HALF = 10;
const PAD = Math.max(ACROSS_MAX_HALF, ALONG_RIDGE_HALF) + 1;

/**
 * Contextual filtering, a separable Gabor filter: Gaussian smoothing along the local ridge
 * orientation bridges gaps and pores, then an even Gabor profile across the ridges (tuned to the
 * local period) removes everything that is not a ridge of that spacing. Orientation and period are
 * quantized so every tap is a precomputed integer offset: two short 1-D passes per pixel instead
 * of a 2-D kernel. Output is zero-mean; ridges (dark) are negative. Background pixels are 0.
 */
export function enhanceRidges(
  raster: Raster,
  orientation: OrientationField,
  frequency: FrequencyField,
  mask: BlockMask,
): FloatImage {
  return enhanceRidgesFamily(raster, orientation, frequency, mask, [ALONG_RIDGE_SIGMA])[0];
}

/**
 * enhanceRidges for several along-ridge sigmas at once (a probe's alternate extractions,
 * extract.ts): each output is exactly what one filter with that sigma gives. The padded image and
 * the per-block filter choice are shared, and the sigmas take turns block row by block row, so
 * the rows each pass reads are still in cache for the next sigma.
 */
export function enhanceRidgesFamily(
  raster: Raster,
  orientation: OrientationField,
  frequency: FrequencyField,
  mask: BlockMask,
  alongSigmas: readonly number[],
): FloatImage[] {
  const { width, height } = raster;
  const { cols, rows } = mask;
  const pw = width + 2 * PAD;
  const ph = height + 2 * PAD;
  const size = pw * ph;
  const temporaries = borrowFloat32('enhanceRidges', size * (alongSigmas.length + 1));
  const padded = padReplicate(raster.pixels, width, height, pw, ph, temporaries.subarray(0, size));
  const kernelOf = blockKernelIndex(orientation, frequency);
  const near = dilateBlocks(mask, 2);
  const inside = mask.cells;
  const banks = alongSigmas.map((sigma) => filterBank(pw, sigma));
  const count = banks.length;
  // The across-ridge taps do not depend on the sigma: every bank holds the same ones.
  const { periods, alongLength, alongOffsets, acrossStart, acrossOffsets, acrossWeights } = banks[0];

  // Orientation and period are constant over a block, so both passes run block by block with
  // one tap list per block (filterBlockRow).
  // Pass 1: smoothing along ridges (offsets per orientation, one Gaussian profile per sigma).
  const smoothed = banks.map((_, k) => {
    const copy = temporaries.subarray(size * (k + 1), size * (k + 2));
    copy.set(padded);
    return copy;
  });
  // Folding pays when the pair sums serve several sigmas; for one, the plain taps are faster.
  if (banks.length > 1 && banks.every((bank) => bank.alongExact)) {
    smoothAlongFolded(padded, smoothed, banks, kernelOf, near, width, height, cols, rows, pw);
  } else for (let by = 0; by < rows; by++) {
    const y0 = by * BLOCK;
    const y1 = Math.min(height, y0 + BLOCK);
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!near[b]) continue;
      const start = ((kernelOf[b] / periods) | 0) * alongLength;
      const x0 = bx * BLOCK;
      const n = Math.min(width, x0 + BLOCK) - x0;
      for (let y = y0; y < y1; y++) {
        const c = (y + PAD) * pw + PAD + x0;
        for (let k = 0; k < count; k++) filterBlockRow(padded, c, smoothed[k], c, n, alongOffsets, start, banks[k].alongWeights, 0, alongLength);
      }
    }
  }
  // Pass 2: band-pass across ridges (offsets and weights per orientation x period).
  const outs = banks.map(() => new Float32Array(width * height));
  for (let by = 0; by < rows; by++) {
    const y0 = by * BLOCK;
    const y1 = Math.min(height, y0 + BLOCK);
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!inside[b]) continue;
      const kernel = kernelOf[b];
      const first = acrossStart[kernel];
      const taps = acrossStart[kernel + 1] - first;
      const x0 = bx * BLOCK;
      const n = Math.min(width, x0 + BLOCK) - x0;
      for (let y = y0; y < y1; y++) {
        const c = (y + PAD) * pw + PAD + x0;
        for (let k = 0; k < count; k++) filterBlockRow(smoothed[k], c, outs[k], y * width + x0, n, acrossOffsets, first, acrossWeights, first, taps);
      }
    }
  }
  // Borrowed (primitives/scratch.ts): they hold the print's pixels, zeroed before they wait.
  temporaries.fill(0);
  return outs.map((pixels) => ({ width, height, pixels }));
}

/**
 * dst[at + x] = sum over taps t of src[c + x + offsets[offsetAt + t]] * weights[weightAt + t], for
 * the n (<= 8) pixels of one block row. A full row runs as 8 independent accumulators fed by each
 * tap, which keeps the floating-point adds of different pixels in flight together; each pixel
 * still sums its taps in order, so the rounding is that of a pixel-by-pixel loop.
 */
function filterBlockRow(
  src: Float32Array,
  c: number,
  dst: Float32Array,
  at: number,
  n: number,
  offsets: Int32Array,
  offsetAt: number,
  weights: Float32Array,
  weightAt: number,
  taps: number,
): void {
  if (n === 8) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (let t = 0; t < taps; t++) {
      const w = weights[weightAt + t];
      const q = c + offsets[offsetAt + t];
      a0 += src[q] * w;
      a1 += src[q + 1] * w;
      a2 += src[q + 2] * w;
      a3 += src[q + 3] * w;
      a4 += src[q + 4] * w;
      a5 += src[q + 5] * w;
      a6 += src[q + 6] * w;
      a7 += src[q + 7] * w;
    }
    dst[at] = a0;
    dst[at + 1] = a1;
    dst[at + 2] = a2;
    dst[at + 3] = a3;
    dst[at + 4] = a4;
    dst[at + 5] = a5;
    dst[at + 6] = a6;
    dst[at + 7] = a7;
    return;
  }
  for (let x = 0; x < n; x++) {
    let acc = 0;
    for (let t = 0; t < taps; t++) acc += src[c + x + offsets[offsetAt + t]] * weights[weightAt + t];
    dst[at + x] = acc;
  }
}

/**
 * Pass 1 of enhanceRidgesFamily when every bank's along-ridge sums are exact (alongExact): the
 * Gaussian is symmetric, so the two pixels at +-s from the centre are added first (integers, a
 * 9-bit sum) and each sigma multiplies those 8 sums by its 8 weights, instead of every sigma
 * multiplying all 15 taps. Exact sums do not depend on their order, so every output is
 * bit-identical to filterBlockRow's; it costs 7 + 16 floating-point operations per pixel and
 * sigma instead of 30.
 */
function smoothAlongFolded(
  padded: Float32Array,
  smoothed: Float32Array[],
  banks: readonly FilterBank[],
  kernelOf: Uint16Array,
  near: Uint8Array,
  width: number,
  height: number,
  cols: number,
  rows: number,
  pw: number,
): void {
  const { periods, alongLength, alongOffsets } = banks[0];
  const half = ALONG_RIDGE_HALF;
  // folded[s * 8 + x]: the centre pixel (s = 0) or the sum of the pixels at +-s along the ridge.
  const folded = new Float64Array((half + 1) * 8);
  const count = banks.length;
  for (let by = 0; by < rows; by++) {
    const y0 = by * BLOCK;
    const y1 = Math.min(height, y0 + BLOCK);
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!near[b]) continue;
      const start = ((kernelOf[b] / periods) | 0) * alongLength;
      const x0 = bx * BLOCK;
      const n = Math.min(width, x0 + BLOCK) - x0;
      for (let y = y0; y < y1; y++) {
        const c = (y + PAD) * pw + PAD + x0;
        if (n !== 8) {
          for (let k = 0; k < count; k++) filterBlockRow(padded, c, smoothed[k], c, n, alongOffsets, start, banks[k].alongWeights, 0, alongLength);
          continue;
        }
        const centre = c + alongOffsets[start + half];
        folded[0] = padded[centre];
        folded[1] = padded[centre + 1];
        folded[2] = padded[centre + 2];
        folded[3] = padded[centre + 3];
        folded[4] = padded[centre + 4];
        folded[5] = padded[centre + 5];
        folded[6] = padded[centre + 6];
        folded[7] = padded[centre + 7];
        for (let s = 1, o = 8; s <= half; s++, o += 8) {
          const p = c + alongOffsets[start + half + s];
          const m = c + alongOffsets[start + half - s];
          folded[o] = padded[p] + padded[m];
          folded[o + 1] = padded[p + 1] + padded[m + 1];
          folded[o + 2] = padded[p + 2] + padded[m + 2];
          folded[o + 3] = padded[p + 3] + padded[m + 3];
          folded[o + 4] = padded[p + 4] + padded[m + 4];
          folded[o + 5] = padded[p + 5] + padded[m + 5];
          folded[o + 6] = padded[p + 6] + padded[m + 6];
          folded[o + 7] = padded[p + 7] + padded[m + 7];
        }
        for (let k = 0; k < count; k++) {
          const w = banks[k].alongFolded;
          const dst = smoothed[k];
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
          for (let s = 0, o = 0; s <= half; s++, o += 8) {
            const ws = w[s];
            a0 += folded[o] * ws;
            a1 += folded[o + 1] * ws;
            a2 += folded[o + 2] * ws;
            a3 += folded[o + 3] * ws;
            a4 += folded[o + 4] * ws;
            a5 += folded[o + 5] * ws;
            a6 += folded[o + 6] * ws;
            a7 += folded[o + 7] * ws;
          }
          dst[c] = a0;
          dst[c + 1] = a1;
          dst[c + 2] = a2;
          dst[c + 3] = a3;
          dst[c + 4] = a4;
          dst[c + 5] = a5;
          dst[c + 6] = a6;
          dst[c + 7] = a7;
        }
      }
    }
  }
}

function padReplicate(src: Uint8Array, width: number, height: number, pw: number, ph: number, out: Float32Array): Float32Array {
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - PAD));
    const row = sy * width;
    const o = y * pw;
    const left = src[row];
    const right = src[row + width - 1];
    for (let x = 0; x < PAD; x++) out[o + x] = left;
    out.set(src.subarray(row, row + width), o + PAD);
    for (let x = PAD + width; x < pw; x++) out[o + x] = right;
  }
  return out;
}

/** Filter index (orientation bin * periods + period bin) of every block. */
function blockKernelIndex(orientation: OrientationField, frequency: FrequencyField): Uint16Array {
  const periods = MAX_RIDGE_PERIOD - MIN_RIDGE_PERIOD + 1;
  const blockKernel = new Uint16Array(orientation.cols * orientation.rows);
  for (let b = 0; b < blockKernel.length; b++) {
    const o = Math.round(orientation.angle[b] / (Math.PI / FILTER_ORIENTATIONS)) % FILTER_ORIENTATIONS;
    const p = Math.min(periods - 1, Math.max(0, Math.round(frequency.period[b]) - MIN_RIDGE_PERIOD));
    blockKernel[b] = o * periods + p;
  }
  return blockKernel;
}

/** Blocks within `radius` blocks (square) of a mask block. */
function dilateBlocks(mask: BlockMask, radius: number): Uint8Array {
  const { cols, rows, cells } = mask;
  const blocks = new Uint8Array(cols * rows);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let on = 0;
      for (let dy = -radius; dy <= radius && !on; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = bx + dx;
          const yy = by + dy;
          if (xx >= 0 && yy >= 0 && xx < cols && yy < rows && cells[yy * cols + xx]) {
            on = 1;
            break;
          }
        }
      }
      blocks[by * cols + bx] = on;
    }
  }
  return blocks;
}

interface FilterBank {
  readonly periods: number;
  readonly alongLength: number;
  readonly alongOffsets: Int32Array;
  readonly alongWeights: Float32Array;
  /** alongWeights from the centre out (index s = weight at +-s), for smoothAlongFolded. */
  readonly alongFolded: Float32Array;
  /**
   * Every along-ridge sum of 8-bit pixels is exact in a double, in any order: true when the
   * profile is symmetric and the smallest weight's float32 ulp is at least 2^-44, so each product
   * (9-bit pixel sum x 24-bit weight) and each partial sum (< 2^9) is a multiple of that ulp
   * within 53 bits. Sigmas from about 1.3 px up (a weight of 1e-7 at 7 px) qualify.
   */
  readonly alongExact: boolean;
  readonly acrossStart: Int32Array;
  readonly acrossOffsets: Int32Array;
  readonly acrossWeights: Float32Array;
}

/** Banks depend only on the padded row stride and the along-ridge sigma: cache the few a sensor produces. */
const banks = new Map<string, FilterBank>();

function filterBank(stride: number, alongSigma: number): FilterBank {
  const key = `${stride}:${alongSigma}`;
  let bank = banks.get(key);
  if (!bank) {
    if (banks.size >= 8) banks.clear();
    bank = buildBank(stride, alongSigma);
    banks.set(key, bank);
  }
  return bank;
}

function buildBank(stride: number, alongSigma: number): FilterBank {
  const periods = MAX_RIDGE_PERIOD - MIN_RIDGE_PERIOD + 1;
  const alongLength = 2 * ALONG_RIDGE_HALF + 1;
  const alongOffsets = new Int32Array(FILTER_ORIENTATIONS * alongLength);
  const alongWeights = new Float32Array(alongLength);
  let wsum = 0;
  for (let s = -ALONG_RIDGE_HALF; s <= ALONG_RIDGE_HALF; s++) {
    const w = Math.exp((-s * s) / (2 * alongSigma * alongSigma));
    alongWeights[s + ALONG_RIDGE_HALF] = w;
    wsum += w;
  }
  for (let j = 0; j < alongLength; j++) alongWeights[j] /= wsum;
  const alongFolded = alongWeights.slice(ALONG_RIDGE_HALF);
  let alongExact = true;
  for (let s = 0; s <= ALONG_RIDGE_HALF; s++) {
    const w = alongFolded[s];
    if (w !== alongWeights[ALONG_RIDGE_HALF - s] || !(w > 0) || Math.floor(Math.log2(w)) - 23 < -44) alongExact = false;
  }
  const acrossStart = new Int32Array(FILTER_ORIENTATIONS * periods + 1);
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let o = 0; o < FILTER_ORIENTATIONS; o++) {
    const theta = (o * Math.PI) / FILTER_ORIENTATIONS;
    const ax = Math.cos(theta);
    const ay = Math.sin(theta);
    for (let s = -ALONG_RIDGE_HALF; s <= ALONG_RIDGE_HALF; s++) {
      alongOffsets[o * alongLength + s + ALONG_RIDGE_HALF] = Math.round(s * ay) * stride + Math.round(s * ax);
    }
    for (let p = 0; p < periods; p++) {
      const period = p + MIN_RIDGE_PERIOD;
      const sigma = ACROSS_RIDGE_SIGMA_FACTOR * period;
      const half = Math.min(ACROSS_MAX_HALF, Math.ceil(2 * sigma));
      acrossStart[o * periods + p] = offsets.length;
      const ws: number[] = [];
      let mean = 0;
      let env = 0;
      for (let t = -half; t <= half; t++) {
        const g = Math.exp((-t * t) / (2 * sigma * sigma));
        const w = g * Math.cos((2 * Math.PI * t) / period);
        ws.push(w);
        mean += w;
        env += g;
      }
      // Zero DC response: the output then ignores brightness and only sees ridge contrast.
      let abs = 0;
      for (let j = 0; j < ws.length; j++) {
        const g = Math.exp((-(j - half) * (j - half)) / (2 * sigma * sigma));
        ws[j] -= (mean * g) / env;
        abs += Math.abs(ws[j]);
      }
      for (let t = -half; t <= half; t++) {
        // Across-ridge unit normal is (-sin, cos).
        offsets.push(Math.round(t * ax) * stride + Math.round(-t * ay));
        weights.push(ws[t + half] / abs);
      }
    }
  }
  acrossStart[FILTER_ORIENTATIONS * periods] = offsets.length;
  return {
    periods,
    alongLength,
    alongOffsets,
    alongWeights,
    alongFolded,
    alongExact,
    acrossStart,
    acrossOffsets: Int32Array.from(offsets),
    acrossWeights: Float32Array.from(weights),
  };
}
