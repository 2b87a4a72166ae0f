import type { GrayImage } from '../types.ts';
import type { Raster } from '../primitives/fields.ts';
import { MAX_SCALED_SIDE, TARGET_DPI } from '../parameters.ts';

/**
 * Resamples to 500 dpi (bilinear) so every later distance is in one unit. An image larger than
 * MAX_SCALED_SIDE after scaling is cropped around its centre instead of allocating without bound.
 */
export function scaleImage(image: GrayImage): Raster {
  const scale = TARGET_DPI / image.dpi;
  const fullW = Math.max(1, Math.round(image.width * scale));
  const fullH = Math.max(1, Math.round(image.height * scale));
  const width = Math.min(fullW, MAX_SCALED_SIDE);
  const height = Math.min(fullH, MAX_SCALED_SIDE);
  const offX = (fullW - width) >> 1;
  const offY = (fullH - height) >> 1;
  const src = image.pixels;
  const sw = image.width;
  const sh = image.height;
  if (Math.abs(scale - 1) < 1e-6 && width === sw && height === sh) {
    return { width, height, pixels: src.slice() };
  }
  const out = new Uint8Array(width * height);
  const inv = 1 / scale;
  // Column taps and weights are the same on every row: computed once (same expressions).
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const wxs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(Math.max((x + offX + 0.5) * inv - 0.5, 0), sw - 1);
    const x0 = Math.floor(fx);
    x0s[x] = x0;
    x1s[x] = Math.min(x0 + 1, sw - 1);
    wxs[x] = fx - x0;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + offY + 0.5) * inv - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = fy - y0;
    const r0 = y0 * sw;
    const r1 = y1 * sw;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const x0 = x0s[x];
      const x1 = x1s[x];
      const wx = wxs[x];
      const top = src[r0 + x0] * (1 - wx) + src[r0 + x1] * wx;
      const bottom = src[r1 + x0] * (1 - wx) + src[r1 + x1] * wx;
      // Math.round(v) for v in [0, 255] without its mispredicted branch: floor(v + 0.5) is exact
      // here except for v = 0.49999999999999994 (v + 0.5 rounds up to 1).
      const v = top * (1 - wy) + bottom * wy;
      const r = (v + 0.5) | 0;
      out[o + x] = r === 1 && v < 0.5 ? 0 : r;
    }
  }
  return { width, height, pixels: out };
}
