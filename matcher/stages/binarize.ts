import type { BinaryImage, FloatImage } from '../primitives/fields.ts';

/**
 * Ridge pixels are where the enhanced image is negative (darker than the local ridge/valley
 * average). A 3x3 majority vote removes single-pixel noise that would thin into spurs. The image
 * frame is left empty so thinning and neighbourhood lookups never leave the raster.
 */
export function binarize(enhanced: FloatImage): BinaryImage {
  const { width, height, pixels } = enhanced;
  const raw = new Uint8Array(width * height);
  for (let i = 0; i < raw.length; i++) raw[i] = pixels[i] < 0 ? 1 : 0;
  const out = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const votes =
        raw[i - width - 1] + raw[i - width] + raw[i - width + 1] +
        raw[i - 1] + raw[i] + raw[i + 1] +
        raw[i + width - 1] + raw[i + width] + raw[i + width + 1];
      out[i] = votes >= 5 ? 1 : 0;
    }
  }
  return { width, height, pixels: out };
}
