import type { BlockStatistics, Raster } from '../primitives/fields.ts';
import { BLOCK } from '../parameters.ts';

/** Mean and standard deviation of the gray levels of every BLOCK x BLOCK block. */
export function blockStatistics(raster: Raster): BlockStatistics {
  const { width, height, pixels } = raster;
  const cols = Math.ceil(width / BLOCK);
  const rows = Math.ceil(height / BLOCK);
  const sum = new Float64Array(cols * rows);
  const sum2 = new Float64Array(cols * rows);
  const count = new Uint16Array(cols * rows);
  // Integer sums per row segment first: exact, so identical to adding pixel by pixel.
  for (let y = 0; y < height; y++) {
    const rowBase = ((y / BLOCK) | 0) * cols;
    const o = y * width;
    for (let bx = 0; bx < cols; bx++) {
      const x0 = bx * BLOCK;
      const x1 = Math.min(width, x0 + BLOCK);
      let s = 0;
      let s2 = 0;
      for (let x = x0; x < x1; x++) {
        const v = pixels[o + x];
        s += v;
        s2 += v * v;
      }
      const b = rowBase + bx;
      sum[b] += s;
      sum2[b] += s2;
      count[b] += x1 - x0;
    }
  }
  const mean = new Float32Array(cols * rows);
  const contrast = new Float32Array(cols * rows);
  for (let b = 0; b < cols * rows; b++) {
    const m = sum[b] / count[b];
    mean[b] = m;
    contrast[b] = Math.sqrt(Math.max(0, sum2[b] / count[b] - m * m));
  }
  return { cols, rows, mean, contrast };
}
