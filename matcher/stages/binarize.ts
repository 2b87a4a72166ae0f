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
  // Sliding 3-pixel column sums: each pixel adds one new column instead of reading 9 neighbours.
  for (let y = 1; y < height - 1; y++) {
    const up = (y - 1) * width;
    const mid = y * width;
    const down = (y + 1) * width;
    let left = raw[up] + raw[mid] + raw[down];
    let centre = raw[up + 1] + raw[mid + 1] + raw[down + 1];
    for (let x = 1; x < width - 1; x++) {
      const right = raw[up + x + 1] + raw[mid + x + 1] + raw[down + x + 1];
      // votes >= 5 of 9, without a branch: (votes + 3) >> 3 is 1 for 5..9 and 0 for 0..4.
      out[mid + x] = (left + centre + right + 3) >> 3;
      left = centre;
      centre = right;
    }
  }
  return { width, height, pixels: out };
}
