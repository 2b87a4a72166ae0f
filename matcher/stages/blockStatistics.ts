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
  for (let y = 0; y < height; y++) {
    const rowBase = ((y / BLOCK) | 0) * cols;
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      const b = rowBase + ((x / BLOCK) | 0);
      sum[b] += v;
      sum2[b] += v * v;
      count[b]++;
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
