import t from 'tap';
import fc from 'fast-check';
import { binarize } from '../../../matcher/stages/binarize.ts';
import type { FloatImage } from '../../../matcher/primitives/fields.ts';

/**
 * Enhanced-image-like floats: a zero background (outside the print) around a patch of noise
 * with either sign, on sizes around the 4-pixel words binarize counts votes in.
 */
const enhanced = fc
  .record({
    width: fc.integer({ min: 1, max: 41 }),
    height: fc.integer({ min: 1, max: 30 }),
    negative: fc.double({ min: 0, max: 1, noNaN: true }),
    margin: fc.integer({ min: 0, max: 6 }),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
  })
  .map(({ width, height, negative, margin, seed }): FloatImage => {
    let s = seed;
    const pixels = new Float32Array(width * height);
    for (let y = margin; y < height - margin; y++) {
      for (let x = margin; x < width - margin; x++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const u = s / 2 ** 32;
        pixels[y * width + x] = u < negative ? -u - 0.01 : u;
      }
    }
    return { width, height, pixels };
  });

/** The stage's definition, pixel by pixel: at least 5 of the 3x3 neighbourhood negative; frame empty. */
function referenceBinarize({ width, height, pixels }: FloatImage): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      let votes = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) votes += pixels[(y + dy) * width + x + dx] < 0 ? 1 : 0;
      out[y * width + x] = votes >= 5 ? 1 : 0;
    }
  }
  return out;
}

t.test('binarize is the 3x3 majority of negative pixels with an empty frame, pixel for pixel', async () => {
  fc.assert(
    fc.property(enhanced, (image) => {
      const out = binarize(image).pixels;
      const expected = referenceBinarize(image);
      return out.length === expected.length && out.every((v, i) => v === expected[i]);
    }),
    { numRuns: 500 },
  );
});
