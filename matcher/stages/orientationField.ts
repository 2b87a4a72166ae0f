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
  for (let y = 1; y < height - 1; y++) {
    const rowBase = ((y / BLOCK) | 0) * cols;
    const o = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = o + x;
      // Sobel: gradients of dark ridges on light background.
      const gx =
        pixels[i - width + 1] + 2 * pixels[i + 1] + pixels[i + width + 1] -
        pixels[i - width - 1] - 2 * pixels[i - 1] - pixels[i + width - 1];
      const gy =
        pixels[i + width - 1] + 2 * pixels[i + width] + pixels[i + width + 1] -
        pixels[i - width - 1] - 2 * pixels[i - width] - pixels[i - width + 1];
      const b = rowBase + ((x / BLOCK) | 0);
      gxx[b] += gx * gx;
      gyy[b] += gy * gy;
      gxy[b] += gx * gy;
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
