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
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + offY + 0.5) * inv - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + offX + 0.5) * inv - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = fx - x0;
      const top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
      const bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
      out[y * width + x] = Math.round(top * (1 - wy) + bottom * wy);
    }
  }
  return { width, height, pixels: out };
}
