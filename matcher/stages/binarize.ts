import type { BinaryImage, FloatImage } from '../primitives/fields.ts';
import { borrowUint8 } from '../primitives/scratch.ts';

/**
 * Ridge pixels are where the enhanced image is negative (darker than the local ridge/valley
 * average). A 3x3 majority vote removes single-pixel noise that would thin into spurs. The image
 * frame is left empty so thinning and neighbourhood lookups never leave the raster.
 */
export function binarize(enhanced: FloatImage): BinaryImage {
  const { width, height, pixels } = enhanced;
  const raw = borrowUint8('binarize', width * height);
  // Span of ridge pixels per row: the enhanced background is 0, so rows of the frame around the
  // print vote 0 everywhere and are skipped.
  const first = new Int32Array(height);
  const last = new Int32Array(height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    // The span first, on the floats: raw outside it stays 0 as allocated.
    let a = 0;
    while (a < width && !(pixels[o + a] < 0)) a++;
    let b = width - 1;
    while (b > a && !(pixels[o + b] < 0)) b--;
    for (let x = a; x <= b; x++) raw[o + x] = +(pixels[o + x] < 0);
    first[y] = a;
    last[y] = b;
  }
  const out = new Uint8Array(width * height);
  // Sliding 3-pixel column sums: each pixel adds one new column instead of reading 9 neighbours.
  for (let y = 1; y < height - 1; y++) {
    const from = Math.max(1, Math.min(first[y - 1], first[y], first[y + 1]) - 1);
    const to = Math.min(width - 2, Math.max(last[y - 1], last[y], last[y + 1]) + 1);
    if (from > to) continue;
    const up = (y - 1) * width;
    const mid = y * width;
    const down = (y + 1) * width;
    let left = raw[up + from - 1] + raw[mid + from - 1] + raw[down + from - 1];
    let centre = raw[up + from] + raw[mid + from] + raw[down + from];
    for (let x = from; x <= to; x++) {
      const right = raw[up + x + 1] + raw[mid + x + 1] + raw[down + x + 1];
      // votes >= 5 of 9, without a branch: (votes + 3) >> 3 is 1 for 5..9 and 0 for 0..4.
      out[mid + x] = (left + centre + right + 3) >> 3;
      left = centre;
      centre = right;
    }
  }
  raw.fill(0);
  return { width, height, pixels: out };
}
