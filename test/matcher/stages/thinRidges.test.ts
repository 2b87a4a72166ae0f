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
});
