import type { BinaryImage } from '../primitives/fields.ts';
import { POPCOUNT, neighbourBits } from '../primitives/neighbourhood.ts';
import { borrowInt32 } from '../primitives/scratch.ts';

/**
 * Yokoi 8-connectivity number is 1 and the pixel sits in an L corner: removing it keeps the
 * skeleton connected and turns 2-pixel staircases into clean diagonal lines, which otherwise read
 * as false bifurcations.
 */
const STAIRCASE = (() => {
  const t = new Uint8Array(256);
  for (let bits = 0; bits < 256; bits++) {
    const x = (k: number) => (bits >> (k & 7)) & 1;
    let c8 = 0;
    for (const k of [0, 2, 4, 6]) {
      const a = 1 - x(k);
      const b = 1 - x(k + 1);
      const c = 1 - x(k + 2);
      c8 += a - a * b * c;
    }
    const corner = (x(0) && x(2)) || (x(2) && x(4)) || (x(4) && x(6)) || (x(6) && x(0));
    t[bits] = c8 === 1 && POPCOUNT[bits] >= 2 && corner ? 1 : 0;
  }
  return t;
})();

/**
 * A sub-iteration scans every word holding ridge pixels while the last two deleted in more than
 * 1 / FULL_SCAN_SHARE as many words: each deletion queues up to 9 words for the next.
 */
const FULL_SCAN_SHARE = 4;

/**
 * One-pixel-wide ridge skeleton (Zhang & Suen 1984, then staircase removal).
 *
 * Zhang-Suen alternates two sub-iteration kinds; each deletes all its deletable pixels at once
 * (evaluation order does not matter) and a pixel's deletability depends only on its 8
 * neighbours. So the sub-iterations run bit-parallel: the image is packed 32 pixels to a word and
 * each word's deletable pixels come out of a few dozen bitwise operations on its 8 neighbour
 * planes (deletableBits). The first two sub-iterations evaluate every word that holds ridge
 * pixels; after that, only the words next to a pixel deleted in the previous two sub-iterations:
 * every other pixel was evaluated by the same kind since its neighbourhood last changed and found
 * undeletable. Thinning usually runs 20-30 sub-iterations, most deleting a pixel or two per
 * ridge end, so the late ones touch a few hundred words. The result is the pixel-by-pixel
 * parallel Zhang-Suen's, pixel for pixel (test/matcher/stages/thinRidges.test.ts).
 */
export function thinRidges(binary: BinaryImage): BinaryImage {
  const { width, height, pixels } = binary;
  if (width < 3 || height < 3) return { width, height, pixels: pixels.slice() };
  // Row stride in words: the row's words and one empty word either side, so the east and west
  // planes of a row's first and last word read zeros without a test.
  const perRow = (width + 31) >> 5;
  const stride = perRow + 2;
  const size = stride * height;
  const lineSize = (pixels.length >> 5) + 2;
  // Borrowed (primitives/scratch.ts), zeroed before returning: the packed print and lists of
  // ridge positions. bits | the step that last queued each word | work list | deletions of the
  // last three sub-iterations (word, deleted bits) | the image as one bit string | the interior
  // pixels of each word.
  const scratch = borrowInt32('thinRidges', 10 * size + lineSize);
  const bits = scratch.subarray(0, size);
  const queuedAt = scratch.subarray(size, 2 * size);
  const work = scratch.subarray(2 * size, 3 * size);
  const deletedAt = [0, 1, 2].map((k) => ({
    at: scratch.subarray((3 + 2 * k) * size, (4 + 2 * k) * size),
    mask: scratch.subarray((4 + 2 * k) * size, (5 + 2 * k) * size),
    length: 0,
  }));
  const line = scratch.subarray(9 * size, 9 * size + lineSize);
  const interior = scratch.subarray(9 * size + lineSize);
  // pack reads 0/1 pixels (as BinaryImage promises) 4 at a time: they must start on a 4-byte boundary.
  pack(pixels.byteOffset % 4 === 0 ? pixels : pixels.slice(), width, height, stride, bits, line);
  // Rows and columns 1 .. side - 2: the outermost ones are never evaluated (their neighbourhoods
  // would leave the image).
  const columns = new Int32Array(perRow);
  for (let x = 1; x <= width - 2; x++) columns[x >> 5] |= 1 << (x & 31);
  for (let y = 1; y < height - 1; y++) interior.set(columns, y * stride + 1);

  const firstRow = stride;
  const lastRow = (height - 1) * stride;
  let quiet = 0;
  let occupied = 0;
  for (let step = 0; quiet < 2; step++) {
    const pass = step & 1;
    const deleted = deletedAt[step % 3];
    const recent = step < 2 ? Infinity : deletedAt[(step - 1) % 3].length + deletedAt[(step - 2) % 3].length;
    let size = 0;
    if (recent * FULL_SCAN_SHARE > occupied) {
      // Deletions all over the print: every word that holds ridge pixels.
      for (let q = firstRow; q < lastRow; q++) if (bits[q] !== 0) work[size++] = q;
      occupied = size;
    } else {
      // Words whose pixels or neighbours changed in the last two sub-iterations (a deletion at
      // bit 0 or 31 also changes the neighbouring word's edge pixel's neighbourhood).
      const stamp = step + 1;
      for (let back = 1; back <= 2; back++) {
        const { at, mask, length } = deletedAt[(step - back) % 3];
        for (let k = 0; k < length; k++) {
          const d = mask[k];
          const lo = d & 1 ? -1 : 0;
          const hi = d < 0 ? 1 : 0;
          for (let q0 = at[k] - stride; q0 <= at[k] + stride; q0 += stride) {
            for (let q = q0 + lo; q <= q0 + hi; q++) {
              if (queuedAt[q] === stamp || bits[q] === 0 || q < firstRow || q >= lastRow) continue;
              queuedAt[q] = stamp;
              work[size++] = q;
            }
          }
        }
      }
    }
    let n = 0;
    for (let k = 0; k < size; k++) {
      const q = work[k];
      const d = deletableBits(bits, q, stride, pass) & interior[q];
      if (d === 0) continue;
      deleted.at[n] = q;
      deleted.mask[n] = d;
      n++;
    }
    deleted.length = n;
    for (let k = 0; k < n; k++) bits[deleted.at[k]] &= ~deleted.mask[k];
    quiet = n > 0 ? 0 : quiet + 1;
  }

  // The skeleton (the outermost rows and columns unchanged), then staircase removal in raster
  // order, each pixel seeing the removals before it.
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let w = 0; w < perRow; w++) {
      const base = y * width + (w << 5);
      for (let m = bits[y * stride + 1 + w]; m !== 0; m &= m - 1) px[base + 31 - Math.clz32(m & -m)] = 1;
    }
  }
  for (let y = 1; y < height - 1; y++) {
    for (let w = 0; w < perRow; w++) {
      const base = y * width + (w << 5);
      const q = y * stride + 1 + w;
      for (let m = bits[q] & interior[q]; m !== 0; m &= m - 1) {
        const i = base + 31 - Math.clz32(m & -m);
        if (STAIRCASE[neighbourBits(px, width, i)]) px[i] = 0;
      }
    }
  }
  scratch.fill(0);
  return { width, height, pixels: px };
}

/**
 * 0/1 pixels -> 32 to a word, bit j of a row's word w = pixel 32 w + j, after an empty word.
 * Four pixels at a time: the bytes of a 32-bit word of 0/1 pixels multiply into a 4-bit nibble
 * (0x01020408 moves byte k's bit to bit 24 + k, the cross terms stay below bit 24), first into
 * one bit string of the whole image, then cut into rows.
 */
function pack(px: Uint8Array, width: number, height: number, stride: number, bits: Int32Array, line: Int32Array): void {
  const quads = px.length >> 2;
  const bytes = new Uint32Array(px.buffer, px.byteOffset, quads);
  for (let k = 0; k < quads; k++) {
    const v = bytes[k];
    if (v !== 0) line[k >> 3] |= (Math.imul(v, 0x01020408) >>> 24) << ((k & 7) << 2);
  }
  for (let i = quads << 2; i < px.length; i++) line[i >> 5] |= px[i] << (i & 31);
  const last = width & 31;
  for (let y = 0; y < height; y++) {
    let o = y * width;
    let q = y * stride + 1;
    for (let x = 0; x < width; x += 32, o += 32, q++) {
      const a = o >> 5;
      const s = o & 31;
      const v = s === 0 ? line[a] : (line[a] >>> s) | (line[a + 1] << (32 - s));
      bits[q] = x + 32 > width ? v & ((1 << last) - 1) : v;
    }
  }
}

/**
 * The pixels of word q that sub-iteration kind `pass` deletes. Zhang-Suen: a set pixel with
 * 2..6 set neighbours, exactly one 0 -> 1 transition around the ring P2..P9 (N, NE, E, SE, S,
 * SW, W, NW), and not N.E.S nor E.S.W set (kind 0) / not N.E.W nor N.S.W (kind 1). With a single
 * transition the set neighbours form one arc, so "at least 2 set" is "two adjacent set" and
 * "at most 6" is "two adjacent clear".
 */
function deletableBits(bits: Int32Array, q: number, stride: number, pass: number): number {
  const c = bits[q];
  const u = bits[q - stride];
  const d = bits[q + stride];
  const n = u;
  const ne = (u >>> 1) | (bits[q - stride + 1] << 31);
  const e = (c >>> 1) | (bits[q + 1] << 31);
  const se = (d >>> 1) | (bits[q + stride + 1] << 31);
  const s = d;
  const sw = (d << 1) | (bits[q + stride - 1] >>> 31);
  const w = (c << 1) | (bits[q - 1] >>> 31);
  const nw = (u << 1) | (bits[q - stride - 1] >>> 31);
  // Exactly one 0 -> 1 transition: `one` collects the pixels with at least one, `two` at least two.
  let t = ~n & ne;
  let one = t;
  let two = 0;
  t = ~ne & e;
  two |= one & t;
  one |= t;
  t = ~e & se;
  two |= one & t;
  one |= t;
  t = ~se & s;
  two |= one & t;
  one |= t;
  t = ~s & sw;
  two |= one & t;
  one |= t;
  t = ~sw & w;
  two |= one & t;
  one |= t;
  t = ~w & nw;
  two |= one & t;
  one |= t;
  t = ~nw & n;
  two |= one & t;
  one |= t;
  const adjacentSet = (n & ne) | (ne & e) | (e & se) | (se & s) | (s & sw) | (sw & w) | (w & nw) | (nw & n);
  const adjacentClear = ~((n | ne) & (ne | e) & (e | se) & (se | s) & (s | sw) & (sw | w) & (w | nw) & (nw | n));
  const kind = pass === 0 ? ~(e & s & (n | w)) : ~(n & w & (e | s));
  return c & one & ~two & adjacentSet & adjacentClear & kind;
}
