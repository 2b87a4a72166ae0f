import type { BinaryImage, FloatImage } from '../primitives/fields.ts';
import { borrowUint8 } from '../primitives/scratch.ts';

/**
 * Ridge pixels are where the enhanced image is negative (darker than the local ridge/valley
 * average). A 3x3 majority vote removes single-pixel noise that would thin into spurs. The image
 * frame is left empty so thinning and neighbourhood lookups never leave the raster.
 */
export function binarize(enhanced: FloatImage): BinaryImage {
  const { width, height, pixels } = enhanced;
  const out = new Uint8Array(width * height);
  if (width < 3 || height < 3) return { width, height, pixels: out };
  // The votes are counted 4 pixels to a 32-bit word, one byte each: the raw signs sit in rows of
  // whole words with an empty byte before each row (x = -1) and at least one after it.
  const stride = (width + 5) & ~3;
  const words = stride >> 2;
  // Borrowed (primitives/scratch.ts), zeroed before returning: raw signs, then one row of votes.
  const scratch = borrowUint8('binarize', stride * (height + 1));
  const raw = new Uint32Array(scratch.buffer, scratch.byteOffset, (stride * height) >> 2);
  const votes = scratch.subarray(stride * height);
  const voteWords = new Uint32Array(scratch.buffer, scratch.byteOffset + stride * height, words);
  // Span of ridge pixels per row: the enhanced background is 0, so rows of the frame around the
  // print vote 0 everywhere and are skipped.
  const first = new Int32Array(height);
  const last = new Int32Array(height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    // The span first, on the floats: raw outside it stays 0 as borrowed.
    let a = 0;
    while (a < width && !(pixels[o + a] < 0)) a++;
    let b = width - 1;
    while (b > a && !(pixels[o + b] < 0)) b--;
    const r = y * stride + 1 - o;
    for (let i = o + a; i <= o + b; i++) scratch[r + i] = +(pixels[i] < 0);
    first[y] = a;
    last[y] = b;
  }
  for (let y = 1; y < height - 1; y++) {
    const from = Math.max(1, Math.min(first[y - 1], first[y], first[y + 1]) - 1);
    const to = Math.min(width - 2, Math.max(last[y - 1], last[y], last[y + 1]) + 1);
    if (from > to) continue;
    // Words holding x = from .. to (byte x + 1 of the row).
    const k0 = (from + 1) >> 2;
    const k1 = (to + 1) >> 2;
    const up = (y - 1) * words;
    const mid = y * words;
    const down = (y + 1) * words;
    // Column sums of 3 rows, byte by byte (<= 3: no carries), for words k - 1, k, k + 1. Word
    // -1 is the previous row's last word, whose top byte is empty; word `words` is the next
    // row's first, whose bottom byte is empty.
    let left = raw[up + k0 - 1] + raw[mid + k0 - 1] + raw[down + k0 - 1];
    let centre = raw[up + k0] + raw[mid + k0] + raw[down + k0];
    for (let k = k0; k <= k1; k++) {
      const right = raw[up + k + 1] + raw[mid + k + 1] + raw[down + k + 1];
      // 3x3 sums per byte (<= 9): the byte's column plus its left and right neighbours'.
      const sum = centre + ((centre << 8) | (left >>> 24)) + ((centre >>> 8) | (right << 24));
      // votes >= 5 of 9, per byte: (votes + 3) has bit 3 set for 5..9 and not for 0..4.
      voteWords[k] = ((sum + 0x03030303) >>> 3) & 0x01010101;
      left = centre;
      centre = right;
    }
    out.set(votes.subarray(from + 1, to + 2), y * width + from);
  }
  scratch.fill(0);
  return { width, height, pixels: out };
}
