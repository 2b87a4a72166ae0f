import type { OrientationField, Raster } from '../primitives/fields.ts';
import { BLOCK, ORIENTATION_SMOOTHING_PASSES, ORIENTATION_WINDOW_BLOCKS } from '../parameters.ts';

/**
 * Ridge orientation per block from gradient moments (least-squares estimate on doubled angles),
 * then smoothed as a vector field so that noise and creases do not flip single blocks.
 */
export function orientationField(raster: Raster): OrientationField {
  const { width, height, pixels } = raster;
  const cols = Math.ceil(width / BLOCK);
  const rows = Math.ceil(height / BLOCK);
  const n = cols * rows;
  const gxx = new Float64Array(n);
  const gyy = new Float64Array(n);
  const gxy = new Float64Array(n);
  // Sobel, with each row's block moments summed as integers in registers before they are added
  // to the block (integer sums below 2^53 are exact in any order). The 3x3 kernel slides: a new
  // column adds its vertical [1 2 1] sum (for gx) and its down-minus-up difference (for gy).
  for (let y = 1; y < height - 1; y++) {
    const rowBase = ((y / BLOCK) | 0) * cols;
    const up = (y - 1) * width;
    const mid = y * width;
    const down = (y + 1) * width;
    // Columns x-1 and x of the window centred on x = 1.
    let v0 = pixels[up] + 2 * pixels[mid] + pixels[down];
    let d0 = pixels[down] - pixels[up];
    let v1 = pixels[up + 1] + 2 * pixels[mid + 1] + pixels[down + 1];
    let d1 = pixels[down + 1] - pixels[up + 1];
    for (let bx = 0; bx < cols; bx++) {
      const x0 = Math.max(1, bx * BLOCK);
      const x1 = Math.min(width - 1, bx * BLOCK + BLOCK);
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let x = x0; x < x1; x++) {
        // Gradients of dark ridges on light background.
        const a = pixels[up + x + 1];
        const c = pixels[down + x + 1];
        const v2 = a + 2 * pixels[mid + x + 1] + c;
        const d2 = c - a;
        const gx = v2 - v0;
        const gy = d0 + 2 * d1 + d2;
        sxx += gx * gx;
        syy += gy * gy;
        sxy += gx * gy;
        v0 = v1;
        v1 = v2;
        d0 = d1;
        d1 = d2;
      }
      const b = rowBase + bx;
      gxx[b] += sxx;
      gyy[b] += syy;
      gxy[b] += sxy;
    }
  }
  // Box window over neighbouring blocks for the moment sums.
  const r = ORIENTATION_WINDOW_BLOCKS;
  let vx = new Float32Array(n);
  let vy = new Float32Array(n);
  const coherence = new Float32Array(n);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = by + dy;
        if (yy < 0 || yy >= rows) continue;
        for (let dx = -r; dx <= r; dx++) {
          const xx = bx + dx;
          if (xx < 0 || xx >= cols) continue;
          const b = yy * cols + xx;
          sxx += gxx[b];
          syy += gyy[b];
          sxy += gxy[b];
        }
      }
      const b = by * cols + bx;
      const a = sxx - syy;
      const c = 2 * sxy;
      const mag = Math.sqrt(a * a + c * c);
      const sum = sxx + syy;
      coherence[b] = sum > 0 ? mag / sum : 0;
      // Doubled gradient angle; weighting by magnitude lets strong blocks dominate smoothing.
      vx[b] = a;
      vy[b] = c;
    }
  }
  for (let pass = 0; pass < ORIENTATION_SMOOTHING_PASSES; pass++) {
    const nx = new Float32Array(n);
    const ny = new Float32Array(n);
    for (let by = 0; by < rows; by++) {
      for (let bx = 0; bx < cols; bx++) {
        let sx = 0;
        let sy = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = by + dy;
          if (yy < 0 || yy >= rows) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = bx + dx;
            if (xx < 0 || xx >= cols) continue;
            const w = dx === 0 && dy === 0 ? 2 : 1;
            sx += w * vx[yy * cols + xx];
            sy += w * vy[yy * cols + xx];
          }
        }
        nx[by * cols + bx] = sx;
        ny[by * cols + bx] = sy;
      }
    }
    vx = nx;
    vy = ny;
  }
  const angle = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    // Gradient direction is across the ridges; the ridge runs at +90 degrees.
    let theta = 0.5 * Math.atan2(vy[b], vx[b]) + Math.PI / 2;
    if (theta >= Math.PI) theta -= Math.PI;
    if (theta < 0) theta += Math.PI;
    angle[b] = theta;
  }
  return { cols, rows, angle, coherence };
}
