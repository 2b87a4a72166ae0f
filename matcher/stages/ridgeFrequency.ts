import type { BlockMask, FrequencyField, OrientationField, Raster } from '../primitives/fields.ts';
import {
  BLOCK,
  DEFAULT_RIDGE_PERIOD,
  FREQUENCY_SMOOTHING_BLOCKS,
  FREQUENCY_WINDOW_ACROSS,
  FREQUENCY_WINDOW_ALONG,
  MAX_RIDGE_PERIOD,
  MIN_RIDGE_PERIOD,
} from '../parameters.ts';

/**
 * Ridge period per foreground block (Hong, Wan & Jain 1998): gray levels are projected along the
 * ridge orientation into a signature across the ridges, whose peak spacing is the period. Single
 * estimates are noisy, so they are averaged over neighbouring blocks; blocks without any valid
 * neighbour get the print's median.
 */
export function ridgeFrequency(raster: Raster, orientation: OrientationField, mask: BlockMask): FrequencyField {
  const { width, height, pixels } = raster;
  const { cols, rows } = orientation;
  const n = cols * rows;
  const raw = new Float32Array(n);
  const half = FREQUENCY_WINDOW_ACROSS >> 1;
  const alongHalf = FREQUENCY_WINDOW_ALONG >> 1;
  const signature = new Float32Array(FREQUENCY_WINDOW_ACROSS);
  // Sample offsets along the ridge (s = -alongHalf, -alongHalf + 2, ... < alongHalf), per block.
  const samples = alongHalf;
  const alongX = new Float64Array(samples);
  const alongY = new Float64Array(samples);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!mask.cells[b]) continue;
      const theta = orientation.angle[b];
      const ax = Math.cos(theta);
      const ay = Math.sin(theta);
      // Unit normal (across ridges).
      const nx = -ay;
      const ny = ax;
      const cx = bx * BLOCK + BLOCK / 2;
      const cy = by * BLOCK + BLOCK / 2;
      for (let k = 0, s = -alongHalf; s < alongHalf; k++, s += 2) {
        alongX[k] = s * ax;
        alongY[k] = s * ay;
      }
      // Every sample is at most |(t, s)| < reach px from the centre: far enough from the edges,
      // all are inside and at x, y >= 2, where (v + 0.5) | 0 is Math.round(v) without exceptions.
      const reach = Math.ceil(Math.hypot(half, alongHalf)) + 3;
      if (cx >= reach && cy >= reach && cx + reach < width && cy + reach < height) {
        for (let t = 0; t < FREQUENCY_WINDOW_ACROSS; t++) {
          const tt = t - half;
          const ox = cx + tt * nx;
          const oy = cy + tt * ny;
          let sum = 0;
          for (let k = 0; k < samples; k++) sum += pixels[((oy + alongY[k] + 0.5) | 0) * width + ((ox + alongX[k] + 0.5) | 0)];
          signature[t] = sum / samples;
        }
        raw[b] = periodOfSignature(signature, true);
        continue;
      }
      for (let t = 0; t < FREQUENCY_WINDOW_ACROSS; t++) {
        let sum = 0;
        let count = 0;
        const tt = t - half;
        // Same expression order as cx + tt * nx + s * ax: identical rounding.
        const ox = cx + tt * nx;
        const oy = cy + tt * ny;
        for (let k = 0; k < samples; k++) {
          // x = Math.round(vx), exactly: see roundedHalf. Math.round's data-dependent branch
          // mispredicts on these fractions and dominated the stage.
          const vx = ox + alongX[k];
          const vy = oy + alongY[k];
          const hx = vx + 0.5;
          const hy = vy + 0.5;
          if (hx < 0 || hy < 0 || hx >= width || hy >= height) continue;
          const x = roundedHalf(vx, hx);
          const y = roundedHalf(vy, hy);
          sum += pixels[y * width + x];
          count++;
        }
        signature[t] = count > 0 ? sum / count : NaN;
      }
      raw[b] = periodOfSignature(signature, false);
    }
  }
  const valid = new Float32Array(n);
  let validCount = 0;
  for (let b = 0; b < n; b++) if (raw[b] > 0) valid[validCount++] = raw[b];
  const sorted = valid.subarray(0, validCount).sort();
  const median = validCount > 0 ? sorted[validCount >> 1] : DEFAULT_RIDGE_PERIOD;
  // Window sums of the valid estimates, separably (rows, then columns of row sums). The
  // estimates are float32 periods in [MIN_RIDGE_PERIOD - 1, MAX_RIDGE_PERIOD + 3]: multiples of
  // 2^-21 whose sums stay far below 2^32, so every partial sum is exact in float64 and the grouping
  // gives the same value as the square window.
  const r = FREQUENCY_SMOOTHING_BLOCKS;
  const rowSum = new Float64Array(n);
  const rowCount = new Int32Array(n);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let sum = 0;
      let count = 0;
      const last = Math.min(cols - 1, bx + r);
      for (let xx = Math.max(0, bx - r); xx <= last; xx++) {
        const v = raw[by * cols + xx];
        if (v > 0) {
          sum += v;
          count++;
        }
      }
      rowSum[by * cols + bx] = sum;
      rowCount[by * cols + bx] = count;
    }
  }
  const period = new Float32Array(n);
  for (let by = 0; by < rows; by++) {
    const last = Math.min(rows - 1, by + r);
    for (let bx = 0; bx < cols; bx++) {
      let sum = 0;
      let count = 0;
      for (let yy = Math.max(0, by - r); yy <= last; yy++) {
        sum += rowSum[yy * cols + bx];
        count += rowCount[yy * cols + bx];
      }
      // Pull sparse local estimates towards the print median: one bad block must not retune the filter.
      const local = count > 0 ? (sum + median * 2) / (count + 2) : median;
      period[by * cols + bx] = Math.min(MAX_RIDGE_PERIOD, Math.max(MIN_RIDGE_PERIOD, local));
    }
  }
  return { cols, rows, period };
}

/**
 * Math.round(v) for 0 <= h = v + 0.5 < 2^31, as an int. For v >= -0.5 the sum v + 0.5 is exact
 * or rounds without crossing an integer, so floor(h) = Math.round(v), with one exception:
 * v = 0.49999999999999994, where h rounds up to 1. (h < 0 exactly when Math.round(v) < 0.)
 */
function roundedHalf(v: number, h: number): number {
  const r = h | 0;
  return r === 1 && v < 0.5 ? 0 : r;
}

/**
 * Mean spacing of the signature's brightness peaks (valleys), or 0 when it is not periodic.
 * `finite`: the caller knows no sample fell outside the image (no NaN to look for). One pass:
 * the [1 2 1]-smoothed value of t + 1 (float32, like the signature) settles the peak test of t.
 */
function periodOfSignature(signature: Float32Array, finite: boolean): number {
  const len = signature.length;
  if (!finite) for (let t = 0; t < len; t++) if (Number.isNaN(signature[t])) return 0;
  let min = Infinity;
  let max = -Infinity;
  let first = -1;
  let last = -1;
  let peaks = 0;
  let before = signature[0];
  let here = signature[0];
  for (let t = 1; t < len; t++) {
    const next = t < len - 1 ? Math.fround((signature[t - 1] + 2 * signature[t] + signature[t + 1]) / 4) : signature[t];
    if (t < len - 1) {
      if (next < min) min = next;
      if (next > max) max = next;
    }
    // Peak test of t - 1 (interior only).
    if (t >= 2 && here > before && here >= next) {
      if (first < 0) first = t - 1;
      last = t - 1;
      peaks++;
    }
    before = here;
    here = next;
  }
  if (max - min < 4) return 0;
  if (peaks < 2) return 0;
  const period = (last - first) / (peaks - 1);
  return period >= MIN_RIDGE_PERIOD - 1 && period <= MAX_RIDGE_PERIOD + 3 ? period : 0;
}
