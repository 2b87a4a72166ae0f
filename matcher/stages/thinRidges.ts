import type { BinaryImage } from '../primitives/fields.ts';
import { POPCOUNT, TRANSITIONS, neighbourBits } from '../primitives/neighbourhood.ts';
import { borrowInt32, borrowUint8 } from '../primitives/scratch.ts';

const N = 1;
const E = 4;
const S = 16;
const W = 64;

/** Zhang-Suen deletability of a pixel in each sub-iteration, by neighbour pattern. */
const DELETABLE = [0, 1].map((pass) => {
  const t = new Uint8Array(256);
  for (let bits = 0; bits < 256; bits++) {
    const count = POPCOUNT[bits];
    if (count < 2 || count > 6 || TRANSITIONS[bits] !== 1) continue;
    const n = bits & N;
    const e = bits & E;
    const s = bits & S;
    const w = bits & W;
    const ok = pass === 0 ? !(n && e && s) && !(e && s && w) : !(n && e && w) && !(n && s && w);
    t[bits] = ok ? 1 : 0;
  }
  return t;
});

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

/** Sub-iterations deleting fewer than 1/TAIL_FRACTION of the set pixels end the full scans. */
const TAIL_FRACTION = 32;

/**
 * One-pixel-wide ridge skeleton (Zhang & Suen 1984, then staircase removal).
 *
 * Zhang-Suen alternates two sub-iteration kinds; each deletes all its deletable pixels at once
 * (evaluation order does not matter) and a pixel's deletability depends only on its 8
 * neighbours. The first few sub-iterations peel most of the ridge width and scan every set pixel.
 * Then thinning usually goes on for 20-30 sub-iterations deleting one or two pixels each (a
 * 2-pixel-thick line eaten from its end); those only evaluate the set neighbours of the pixels
 * deleted in the previous two sub-iterations: every other pixel was evaluated by the same kind
 * since its neighbourhood last changed and found undeletable. Both modes delete exactly the
 * pixels of a full scan, so the skeleton is the same.
 */
export function thinRidges(binary: BinaryImage): BinaryImage {
  const { width, height } = binary;
  const px = binary.pixels.slice();
  const words = new Uint32Array(px.buffer, 0, px.length >> 2);
  // Room for every set pixel and the one slot of slack the branch-free appends write: not a
  // raster-sized list (a 4-byte index per pixel, three times per three-sigma probe).
  let set = 0;
  // A word holds four 0/1 bytes: the multiply adds them into its top byte.
  for (let w = 0; w < words.length; w++) set += Math.imul(words[w], 0x01010101) >>> 24;
  for (let i = words.length << 2; i < px.length; i++) set += px[i];
  // Borrowed lists (primitives/scratch.ts): they hold ridge positions, zeroed before returning.
  const candidates = borrowInt32('thinRidges.candidates', set + 1);
  let count = 0;
  // Branch-free appends (about half the print's pixels are ridge: a test per pixel mispredicts),
  // skipping 4 background pixels at a time where a 32-bit word of the copy is 0.
  for (let y = 1; y < height - 1; y++) {
    const end = (y + 1) * width - 1;
    let i = y * width + 1;
    for (; i < end && (i & 3) !== 0; i++) {
      candidates[count] = i;
      count += px[i];
    }
    for (; i + 4 <= end; i += 4) {
      if (words[i >> 2] === 0) continue;
      candidates[count] = i;
      count += px[i];
      candidates[count] = i + 1;
      count += px[i + 1];
      candidates[count] = i + 2;
      count += px[i + 2];
      candidates[count] = i + 3;
      count += px[i + 3];
    }
    for (; i < end; i++) {
      candidates[count] = i;
      count += px[i];
    }
  }
  // Deletions of this and the previous sub-iteration (one slot of slack: branch-free appends).
  const lists = [borrowInt32('thinRidges.doomed', count + 1), borrowInt32('thinRidges.previous', count + 1)];
  let [doomed, previous] = lists;
  let previousLength = 0;
  let pass = 0;
  for (let step = 0, quiet = 0; quiet < 2; step++, pass ^= 1) {
    const table = DELETABLE[pass];
    let n = 0;
    for (let k = 0; k < count; k++) {
      const i = candidates[k];
      doomed[n] = i;
      n += table[neighbourBits(px, width, i)];
    }
    for (let k = 0; k < n; k++) px[doomed[k]] = 0;
    quiet = n > 0 ? 0 : quiet + 1;
    // Compact the candidate list to the pixels still set.
    let kept = 0;
    for (let k = 0; k < count; k++) {
      const i = candidates[k];
      candidates[kept] = i;
      kept += px[i];
    }
    count = kept;
    const last = doomed;
    doomed = previous;
    previous = last;
    const length = n;
    n = previousLength;
    previousLength = length;
    // Switch once deletions are rare; not before both kinds have scanned every pixel once.
    if (step > 0 && previousLength * TAIL_FRACTION < count) {
      pass ^= 1;
      thinTail(px, width, previous, previousLength, doomed, n, pass);
      break;
    }
  }
  for (let k = 0; k < count; k++) {
    const i = candidates[k];
    if (px[i] && STAIRCASE[neighbourBits(px, width, i)]) px[i] = 0;
  }
  candidates.fill(0);
  for (const list of lists) list.fill(0);
  return { width, height, pixels: px };
}

/**
 * Zhang-Suen from sub-iteration kind `pass` on, evaluating only the set neighbours of the last
 * two sub-iterations' deletions (`last` just before, `older` before that).
 */
function thinTail(
  px: Uint8Array,
  width: number,
  last: Int32Array,
  lastLength: number,
  older: Int32Array,
  olderLength: number,
  pass: number,
): void {
  const offsets = [-width, -width + 1, 1, width + 1, width, width - 1, -1, -width - 1];
  // queued[i] = 1 while i is on this sub-iteration's work list (dedupes it), and always on the
  // outermost rows and columns: the full scans never evaluate those, neither may the tail (their
  // neighbourhoods would wrap around rows or leave the image).
  const queued = borrowUint8('thinRidges.queued', px.length);
  const height = px.length / width;
  queued.fill(1, 0, width);
  queued.fill(1, (height - 1) * width);
  for (let y = 1; y < height - 1; y++) {
    queued[y * width] = 1;
    queued[(y + 1) * width - 1] = 1;
  }
  let work: Int32Array = new Int32Array(64);
  let doomed: Int32Array = new Int32Array(64);
  for (; lastLength > 0 || olderLength > 0; pass ^= 1) {
    let size = 0;
    for (let list = 0; list < 2; list++) {
      const source = list === 0 ? older : last;
      const length = list === 0 ? olderLength : lastLength;
      for (let k = 0; k < length; k++) {
        for (let j = 0; j < 8; j++) {
          const q = source[k] + offsets[j];
          if (!px[q] || queued[q]) continue;
          queued[q] = 1;
          if (size === work.length) work = grow(work);
          work[size++] = q;
        }
      }
    }
    const table = DELETABLE[pass];
    if (doomed.length < size) doomed = new Int32Array(work.length);
    let n = 0;
    for (let k = 0; k < size; k++) if (table[neighbourBits(px, width, work[k])]) doomed[n++] = work[k];
    for (let k = 0; k < size; k++) queued[work[k]] = 0;
    for (let k = 0; k < n; k++) px[doomed[k]] = 0;
    // The older list's buffer takes the new deletions.
    const free = older;
    older = last;
    olderLength = lastLength;
    last = free.length >= n ? free : new Int32Array(n);
    last.set(doomed.subarray(0, n));
    lastLength = n;
  }
  queued.fill(0);
}

function grow(list: Int32Array): Int32Array {
  const bigger = new Int32Array(list.length * 2);
  bigger.set(list);
  return bigger;
}
