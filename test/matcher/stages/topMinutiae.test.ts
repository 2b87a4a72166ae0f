import t from 'tap';
import { ridgeLikeness, topMinutiae } from '../../../matcher/stages/topMinutiae.ts';
import { extract } from '../../../matcher/extract.ts';
import { generateMasterPrint, renderImpression } from '../../../matcher/synth/index.ts';
import type { BlockMask, FloatImage, OrientationField, Raster, RawMinutia } from '../../../matcher/primitives/fields.ts';
import type { GrayImage } from '../../../matcher/types.ts';

/**
 * A minutia's clarity rests on how much of the local gray-level variation is ridge (the enhanced
 * image against the raster), not on how dark the ridges are: a faint but clean print keeps the
 * quality of a dark one, and variation the filter discards (dots, blots) lowers it.
 */
const SIZE = 64;
const PERIOD = 9;

/** Vertical ridges of the given amplitude around mid-gray, plus optional dark dots off the ridges. */
function ridges(amplitude: number, dots = 0): { raster: Raster; enhanced: FloatImage } {
  const pixels = new Uint8Array(SIZE * SIZE);
  const enhanced = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const wave = Math.cos((2 * Math.PI * x) / PERIOD);
      // A dot every 5 px down each valley: variation at no ridge period, which the filter drops.
      const dot = dots > 0 && y % 5 === 0 && Math.abs(wave - 1) < 0.2 ? -dots : 0;
      pixels[y * SIZE + x] = Math.round(128 + amplitude * wave + dot);
      // What the contextual filter keeps: the ridge wave (dark ridges negative), at its gain.
      enhanced[y * SIZE + x] = 0.5 * amplitude * wave;
    }
  }
  return { raster: { width: SIZE, height: SIZE, pixels }, enhanced: { width: SIZE, height: SIZE, pixels: enhanced } };
}

const blocks = SIZE / 8;
const orientation: OrientationField = {
  cols: blocks,
  rows: blocks,
  angle: new Float32Array(blocks * blocks).fill(Math.PI / 2),
  coherence: new Float32Array(blocks * blocks).fill(0.9),
};
const mask: BlockMask = { cols: blocks, rows: blocks, cells: new Uint8Array(blocks * blocks).fill(1) };
// Far from the mask edge? The image edge counts as one: the centre is 32 px from it.
const minutia: RawMinutia = { x: 32, y: 32, direction: 1, type: 'ending' };

t.test('ridge-likeness does not depend on the print contrast', async (t) => {
  const dark = ridges(40);
  const faint = ridges(8);
  const a = ridgeLikeness(dark.raster, dark.enhanced, 32, 32);
  const b = ridgeLikeness(faint.raster, faint.enhanced, 32, 32);
  t.ok(Math.abs(a - b) < 0.03, `dark ${a.toFixed(3)} vs faint ${b.toFixed(3)}`);
  const dotted = ridges(8, 40);
  const c = ridgeLikeness(dotted.raster, dotted.enhanced, 32, 32);
  t.ok(c < 0.8 * b, `dots the filter discards lower it: ${c.toFixed(3)} < 0.8 x ${b.toFixed(3)}`);
});

t.test('a faint clean ridge keeps the quality of a dark one; dots lower it', async (t) => {
  const quality = ({ raster, enhanced }: { raster: Raster; enhanced: FloatImage }) =>
    topMinutiae([minutia], [], orientation, mask, raster, enhanced)[0].quality;
  const dark = quality(ridges(40));
  const faint = quality(ridges(8));
  t.ok(dark >= 90, `dark clean ridges: quality ${dark}`);
  // With the block contrast term of matcher <= 1.13 (full at 30 gray levels) the faint one fell
  // to about 70% of the dark one's quality.
  t.ok(Math.abs(dark - faint) <= 2, `faint clean ridges: quality ${faint} (dark ${dark})`);
  const dotted = quality(ridges(8, 40));
  t.ok(dotted < dark - 10, `faint dotted ridges: quality ${dotted}`);
});

t.test('a whole print at a quarter of its contrast keeps its minutiae qualities', async (t) => {
  const image = renderImpression(generateMasterPrint(5), 1);
  // Same ridges, a quarter of the gray-level swing: a dry or lightly pressed capture.
  const faint: GrayImage = { ...image, pixels: image.pixels.map((v) => Math.round(160 + (v - 128) / 4)) };
  const median = (qs: number[]) => [...qs].sort((a, b) => a - b)[qs.length >> 1];
  const strong = extract(image).template.minutiae.map((m) => m.quality);
  const weak = extract(faint).template.minutiae.map((m) => m.quality);
  t.ok(strong.length >= 20 && weak.length >= 20, `${strong.length} and ${weak.length} minutiae`);
  t.ok(median(weak) >= median(strong) - 5, `median quality faint ${median(weak)}, original ${median(strong)}`);
});
