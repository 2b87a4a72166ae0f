import type { BinaryImage } from '../primitives/fields.ts';
import { POPCOUNT, TRANSITIONS, neighbourBits } from '../primitives/neighbourhood.ts';

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

/** One-pixel-wide ridge skeleton (Zhang & Suen 1984, then staircase removal). */
export function thinRidges(binary: BinaryImage): BinaryImage {
  const { width, height } = binary;
  const px = binary.pixels.slice();
  const candidates = new Int32Array(width * height);
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) if (px[y * width + x]) candidates[count++] = y * width + x;
  }
  const doomed = new Int32Array(count);
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const table = DELETABLE[pass];
      let n = 0;
      for (let k = 0; k < count; k++) {
        const i = candidates[k];
        if (px[i] && table[neighbourBits(px, width, i)]) doomed[n++] = i;
      }
      for (let k = 0; k < n; k++) px[doomed[k]] = 0;
      if (n > 0) changed = true;
    }
    // Compact the candidate list to the pixels still set.
    let kept = 0;
    for (let k = 0; k < count; k++) if (px[candidates[k]]) candidates[kept++] = candidates[k];
    count = kept;
  }
  for (let k = 0; k < count; k++) {
    const i = candidates[k];
    if (px[i] && STAIRCASE[neighbourBits(px, width, i)]) px[i] = 0;
  }
  return { width, height, pixels: px };
}
