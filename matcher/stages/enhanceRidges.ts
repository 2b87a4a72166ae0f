import type { BlockMask, FloatImage, FrequencyField, OrientationField, Raster } from '../primitives/fields.ts';
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
  const { width, height } = raster;
  const pw = width + 2 * PAD;
  const ph = height + 2 * PAD;
  const padded = padReplicate(raster.pixels, width, height, pw, ph);
  const kernelOf = pixelKernelIndex(width, height, orientation, frequency);
  const near = dilatedPixelMask(mask, width, height, 2);
  const bank = filterBank(pw);

  const periods = bank.periods;
  const alongLength = bank.alongLength;
  const alongOffsets = bank.alongOffsets;
  const alongWeights = bank.alongWeights;
  const acrossStart = bank.acrossStart;
  const acrossOffsets = bank.acrossOffsets;
  const acrossWeights = bank.acrossWeights;

  // Pass 1: smoothing along ridges.
  const smoothed = padded.slice();
  for (let y = 0; y < height; y++) {
    let i = y * width;
    let c = (y + PAD) * pw + PAD;
    for (let x = 0; x < width; x++, i++, c++) {
      if (!near[i]) continue;
      const start = ((kernelOf[i] / periods) | 0) * alongLength;
      let acc = 0;
      for (let j = 0; j < alongLength; j++) acc += padded[c + alongOffsets[start + j]] * alongWeights[j];
      smoothed[c] = acc;
    }
  }
  // Pass 2: band-pass across ridges.
  const out = new Float32Array(width * height);
  const inside = dilatedPixelMask(mask, width, height, 0);
  for (let y = 0; y < height; y++) {
    let i = y * width;
    let c = (y + PAD) * pw + PAD;
    for (let x = 0; x < width; x++, i++, c++) {
      if (!inside[i]) continue;
      const k = kernelOf[i];
      const end = acrossStart[k + 1];
      let acc = 0;
      for (let j = acrossStart[k]; j < end; j++) acc += smoothed[c + acrossOffsets[j]] * acrossWeights[j];
      out[i] = acc;
    }
  }
  return { width, height, pixels: out };
}

function padReplicate(src: Uint8Array, width: number, height: number, pw: number, ph: number): Float32Array {
  const out = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - PAD));
    for (let x = 0; x < pw; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - PAD));
      out[y * pw + x] = src[sy * width + sx];
    }
  }
  return out;
}

/** Filter index (orientation bin * periods + period bin) of every pixel, from its block. */
function pixelKernelIndex(width: number, height: number, orientation: OrientationField, frequency: FrequencyField): Uint16Array {
  const { cols } = orientation;
  const periods = MAX_RIDGE_PERIOD - MIN_RIDGE_PERIOD + 1;
  const blockKernel = new Uint16Array(cols * orientation.rows);
  for (let b = 0; b < blockKernel.length; b++) {
    const o = Math.round(orientation.angle[b] / (Math.PI / FILTER_ORIENTATIONS)) % FILTER_ORIENTATIONS;
    const p = Math.min(periods - 1, Math.max(0, Math.round(frequency.period[b]) - MIN_RIDGE_PERIOD));
    blockKernel[b] = o * periods + p;
  }
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const rowBase = ((y / BLOCK) | 0) * cols;
    for (let x = 0; x < width; x++) out[y * width + x] = blockKernel[rowBase + ((x / BLOCK) | 0)];
  }
  return out;
}

function dilatedPixelMask(mask: BlockMask, width: number, height: number, radius: number): Uint8Array {
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
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const rowBase = ((y / BLOCK) | 0) * cols;
    for (let x = 0; x < width; x++) out[y * width + x] = blocks[rowBase + ((x / BLOCK) | 0)];
  }
  return out;
}

interface FilterBank {
  readonly periods: number;
  readonly alongLength: number;
  readonly alongOffsets: Int32Array;
  readonly alongWeights: Float32Array;
  readonly acrossStart: Int32Array;
  readonly acrossOffsets: Int32Array;
  readonly acrossWeights: Float32Array;
}

/** Banks depend only on the padded row stride: cache the few strides a sensor produces. */
const banks = new Map<number, FilterBank>();

function filterBank(stride: number): FilterBank {
  let bank = banks.get(stride);
  if (!bank) {
    if (banks.size >= 8) banks.clear();
    bank = buildBank(stride);
    banks.set(stride, bank);
  }
  return bank;
}

function buildBank(stride: number): FilterBank {
  const periods = MAX_RIDGE_PERIOD - MIN_RIDGE_PERIOD + 1;
  const alongLength = 2 * ALONG_RIDGE_HALF + 1;
  const alongOffsets = new Int32Array(FILTER_ORIENTATIONS * alongLength);
  const alongWeights = new Float32Array(alongLength);
  let wsum = 0;
  for (let s = -ALONG_RIDGE_HALF; s <= ALONG_RIDGE_HALF; s++) {
    const w = Math.exp((-s * s) / (2 * ALONG_RIDGE_SIGMA * ALONG_RIDGE_SIGMA));
    alongWeights[s + ALONG_RIDGE_HALF] = w;
    wsum += w;
  }
  for (let j = 0; j < alongLength; j++) alongWeights[j] /= wsum;
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
    acrossStart,
    acrossOffsets: Int32Array.from(offsets),
    acrossWeights: Float32Array.from(weights),
  };
}
