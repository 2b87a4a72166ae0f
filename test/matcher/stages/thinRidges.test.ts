import t from 'tap';
import fc from 'fast-check';
import { thinRidges } from '../../../matcher/stages/thinRidges.ts';
import type { BinaryImage } from '../../../matcher/primitives/fields.ts';

/** Thick parallel stripes at any angle, running off every edge, with a little salt noise. */
const stripes = fc
  .record({
    width: fc.integer({ min: 12, max: 60 }),
    height: fc.integer({ min: 12, max: 60 }),
    angle: fc.double({ min: 0, max: Math.PI, noNaN: true }),
    period: fc.double({ min: 5, max: 12, noNaN: true }),
    thickness: fc.double({ min: 0.3, max: 0.7, noNaN: true }),
    salt: fc.integer({ min: 0, max: 0xffff }),
  })
  .map(({ width, height, angle, period, thickness, salt }): BinaryImage => {
    const pixels = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = (x * Math.cos(angle) + y * Math.sin(angle)) / period;
        const noise = ((x * 7919 + y * 104729 + salt) % 53) === 0;
        pixels[y * width + x] = v - Math.floor(v) < thickness || noise ? 1 : 0;
      }
    }
    return { width, height, pixels };
  });

/** Any 0/1 image: random density, sizes around the 32-pixel word boundaries of the packed scan. */
const noise = fc
  .record({
    width: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 30, max: 35 }), fc.integer({ min: 62, max: 98 })),
    height: fc.integer({ min: 1, max: 40 }),
    density: fc.double({ min: 0.2, max: 0.9, noNaN: true }),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
  })
  .map(({ width, height, density, seed }): BinaryImage => {
    let s = seed;
    const pixels = new Uint8Array(width * height);
    for (let i = 0; i < pixels.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      pixels[i] = s / 2 ** 32 < density ? 1 : 0;
    }
    return { width, height, pixels };
  });

/**
 * A 2-pixel-thick diagonal across a 32-pixel word boundary, beside stable 1-pixel lines: late
 * sub-iterations eat the diagonal from its ends one pixel at a time, across the boundary, while
 * the rest of the image no longer changes (what the changed-words-only scans must follow).
 */
const diagonal = fc
  .record({
    width: fc.integer({ min: 60, max: 120 }),
    height: fc.integer({ min: 30, max: 60 }),
    boundary: fc.constantFrom(32, 64),
    shift: fc.integer({ min: -2, max: 2 }),
    half: fc.integer({ min: 10, max: 24 }),
    down: fc.boolean(),
  })
  .map(({ width, height, boundary, shift, half, down }): BinaryImage => {
    const pixels = new Uint8Array(width * height);
    for (let x = 2; x < width - 2; x += 6) for (let y = height - 10; y < height - 2; y++) pixels[y * width + x] = 1;
    const cx = Math.min(boundary, width - 3) + shift;
    for (let t = -half; t <= half; t++) {
      for (const k of [0, 1]) {
        const x = cx + t + k;
        const y = 2 + half + (down ? t : -t);
        if (x > 0 && y > 0 && x < width - 1 && y < height - 1) pixels[y * width + x] = 1;
      }
    }
    return { width, height, pixels };
  });

/**
 * Zhang & Suen (1984) as the paper states it, one pixel at a time over the whole image in every
 * sub-iteration, then staircase removal (Yokoi connectivity 1 in an L corner) in raster order:
 * the definition thinRidges' bit-parallel, changed-words-only scans must reproduce exactly.
 */
function referenceThinning(image: BinaryImage): Uint8Array {
  const { width, height } = image;
  const px = image.pixels.slice();
  const ring = (i: number): number[] =>
    [-width, -width + 1, 1, width + 1, width, width - 1, -1, -width - 1].map((o) => px[i + o]);
  for (let pass = 0, quiet = 0; quiet < 2; pass ^= 1) {
    const doomed: number[] = [];
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const i = y * width + x;
        if (!px[i]) continue;
        const [p2, p3, p4, p5, p6, p7, p8, p9] = ring(i);
        const p = [p2, p3, p4, p5, p6, p7, p8, p9];
        const b = p.reduce((a, v) => a + v, 0);
        const a = p.filter((v, k) => v === 0 && p[(k + 1) % 8] === 1).length;
        const kind = pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0;
        if (b >= 2 && b <= 6 && a === 1 && kind) doomed.push(i);
      }
    }
    for (const i of doomed) px[i] = 0;
    quiet = doomed.length > 0 ? 0 : quiet + 1;
  }
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!px[i]) continue;
      const v = ring(i);
      const at = (k: number): number => v[k & 7];
      // Yokoi 8-connectivity: sum over the 4-neighbours k of (1 - x_k) - (1 - x_k)(1 - x_k+1)(1 - x_k+2).
      let c8 = 0;
      for (const k of [0, 2, 4, 6]) c8 += 1 - at(k) - (1 - at(k)) * (1 - at(k + 1)) * (1 - at(k + 2));
      const corner = (at(0) && at(2)) || (at(2) && at(4)) || (at(4) && at(6)) || (at(6) && at(0));
      if (c8 === 1 && v.reduce((a, b) => a + b, 0) >= 2 && corner) px[i] = 0;
    }
  }
  return px;
}

t.test('thinRidges', async (t) => {
  t.test('never touches the outermost rows and columns, and only removes pixels', async () => {
    // The late sub-iterations work from a list of neighbours of deleted pixels; those can lie on
    // the image border, where a neighbourhood would wrap around rows. The full scans never
    // evaluate the border, so neither may the list.
    fc.assert(
      fc.property(stripes, (image) => {
        const { width, height, pixels } = image;
        const out = thinRidges(image).pixels;
        for (let i = 0; i < pixels.length; i++) {
          const x = i % width;
          const y = (i - x) / width;
          const border = x === 0 || y === 0 || x === width - 1 || y === height - 1;
          if (border && out[i] !== pixels[i]) return false;
          if (out[i] > pixels[i]) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  t.test('leaves interior ridges one pixel wide (no 2x2 block of ridge pixels)', async () => {
    fc.assert(
      fc.property(stripes, (image) => {
        const { width, height } = image;
        const out = thinRidges(image).pixels;
        for (let y = 1; y < height - 2; y++) {
          for (let x = 1; x < width - 2; x++) {
            const i = y * width + x;
            if (out[i] && out[i + 1] && out[i + width] && out[i + width + 1]) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  t.test('gives exactly the textbook Zhang-Suen skeleton, pixel for pixel', async () => {
    fc.assert(
      fc.property(fc.oneof(stripes, noise, diagonal), (image) => {
        const out = thinRidges(image).pixels;
        const expected = referenceThinning(image);
        return out.length === expected.length && out.every((v, i) => v === expected[i]);
      }),
      { numRuns: 600 },
    );
  });
});
