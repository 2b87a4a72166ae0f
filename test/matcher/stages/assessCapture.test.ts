import t from 'tap';
import { assessCapture } from '../../../matcher/stages/assessCapture.ts';
import { GUIDANCE_FLOODED_MODULATION } from '../../../matcher/parameters.ts';
import type { BlockMask, BlockStatistics, OrientationField } from '../../../matcher/primitives/fields.ts';

const COLS = 40;
const ROWS = 40;

/**
 * A frame of COLS x ROWS blocks: a centred print of `share` of the blocks (gray, contrast,
 * coherence 0.8) on a platen of gray `bare` (contrast 2, outside the mask).
 */
function frame(print: { gray: number; contrast: number }, bare: number, share: number) {
  const n = COLS * ROWS;
  const mean = new Float32Array(n).fill(bare);
  const contrast = new Float32Array(n).fill(2);
  const coherence = new Float32Array(n).fill(0.1);
  const cells = new Uint8Array(n);
  const half = (Math.sqrt(share) * COLS) / 2;
  for (let by = 0; by < ROWS; by++) {
    for (let bx = 0; bx < COLS; bx++) {
      if (Math.abs(bx + 0.5 - COLS / 2) > half || Math.abs(by + 0.5 - ROWS / 2) > half) continue;
      const b = by * COLS + bx;
      cells[b] = 1;
      mean[b] = print.gray;
      contrast[b] = print.contrast;
      coherence[b] = 0.8;
    }
  }
  const stats: BlockStatistics = { cols: COLS, rows: ROWS, mean, contrast };
  const orientation: OrientationField = { cols: COLS, rows: ROWS, angle: new Float32Array(n), coherence };
  const mask: BlockMask = { cols: COLS, rows: ROWS, cells };
  return assessCapture(stats, orientation, mask, 40);
}

t.test('assessCapture: a dark, flat print is refused only when its valleys are flooded', async (t) => {
  const print = { gray: 50, contrast: 14 };
  const flooded = frame(print, 235, 0.5);
  t.equal(flooded.bareGray, 235, 'bare platen level read outside the mask');
  t.ok(print.contrast < GUIDANCE_FLOODED_MODULATION * (235 - print.gray), 'modulation well under the flood limit');
  t.equal(flooded.guidance, 'PRESS_LIGHTER', 'a light platen: the print sank far below it with little modulation');

  const darkPlaten = frame(print, 100, 0.5);
  t.equal(darkPlaten.bareGray, 100);
  t.equal(darkPlaten.guidance, null, 'a dark platen: the same print keeps its valleys near the platen level');
  t.ok(darkPlaten.quality >= 20, `quality ${darkPlaten.quality}`);

  // Just either side of the limit: contrast / (bare - gray) against GUIDANCE_FLOODED_MODULATION.
  const depthAtLimit = print.contrast / GUIDANCE_FLOODED_MODULATION;
  t.equal(frame(print, print.gray + depthAtLimit + 4, 0.5).guidance, 'PRESS_LIGHTER', 'just deeper than the limit');
  t.equal(frame(print, print.gray + depthAtLimit - 4, 0.5).guidance, null, 'just shallower than the limit');

  const filled = frame(print, 100, 1);
  t.equal(filled.bareGray, null, 'no bare platen in view');
  t.equal(filled.guidance, 'PRESS_LIGHTER', 'without the platen a dark, flat print counts as flooded');

  t.equal(frame({ gray: 50, contrast: 20 }, 235, 0.5).guidance, null, 'contrasted enough: never flooded');
  t.equal(frame({ gray: 90, contrast: 14 }, 235, 0.5).guidance, null, 'not dark: the flood rule does not apply');
});
