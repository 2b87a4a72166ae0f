import t from 'tap';
import { KEPT_BYTES, borrowFloat32, borrowUint8, scratchState, scrubScratch } from '../../../matcher/primitives/scratch.ts';
import { extract, extractProbe } from '../../../matcher/extract.ts';
import { generateMasterPrint, renderImpression } from '../../../matcher/synth/index.ts';
import type { GrayImage } from '../../../matcher/types.ts';
import { DPI as SENSOR_DPI, HEIGHT as SENSOR_HEIGHT, WIDTH as SENSOR_WIDTH } from '../../../drivers/fingerprint/profiles/uru4000Frame.ts';

t.test('a kept buffer is lent again, and scrubScratch zeroes what a failed borrower left in it', async (t) => {
  const first = borrowUint8('test.scratch', 64);
  first.fill(7, 0, 64);
  const again = borrowUint8('test.scratch', 32);
  t.equal(again.buffer, first.buffer, 'the same slot lends the same memory');
  t.equal(again[5], 7, 'a borrower that did not zero leaves its data for the next one');
  const other = borrowFloat32('test.scratch.other', 8);
  other.fill(1.5);
  scrubScratch();
  t.ok(borrowUint8('test.scratch', 64).every((v) => v === 0), 'scrubbed: no trace of the last print');
  t.ok(borrowFloat32('test.scratch.other', 8).every((v) => v === 0), 'every slot is scrubbed');
});

t.test('requests above the kept size get a fresh buffer that is not kept', async (t) => {
  const big = borrowUint8('test.scratch.big', KEPT_BYTES + 1);
  big[0] = 1;
  t.not(borrowUint8('test.scratch.big', KEPT_BYTES + 1).buffer, big.buffer);
});

/** A synthetic print on a frame of the counter sensor's size and resolution (U.are.U 4000). */
function sensorFrame(): GrayImage {
  const print = renderImpression(generateMasterPrint(11), 2);
  const pixels = new Uint8Array(SENSOR_WIDTH * SENSOR_HEIGHT).fill(255);
  const dx = (SENSOR_WIDTH - print.width) >> 1;
  const dy = (SENSOR_HEIGHT - print.height) >> 1;
  for (let y = 0; y < SENSOR_HEIGHT; y++) {
    for (let x = 0; x < SENSOR_WIDTH; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < print.width && sy < print.height) pixels[y * SENSOR_WIDTH + x] = print.pixels[sy * print.width + sx];
    }
  }
  return { width: SENSOR_WIDTH, height: SENSOR_HEIGHT, dpi: SENSOR_DPI, pixels };
}

t.test('extraction keeps its buffers for the sensor frame, bounded for any image, zeroed between calls', async (t) => {
  const frame = sensorFrame();
  const probe = extractProbe(frame);
  t.equal(probe.guidance, null, 'the synthetic sensor frame is accepted (all three sigmas filtered)');
  const kept = scratchState();
  t.ok(kept.zeroed, 'no print data waits in the kept buffers');
  extractProbe(frame);
  t.equal(scratchState().bytes, kept.bytes, `the next probe of a sensor frame reuses the ${kept.bytes} kept bytes`);
  t.ok(kept.bytes < 3 << 20, 'a sensor frame keeps under 3 MB');
  // 3000 x 2500 px at 500 dpi: the filter's temporaries alone would be 61 MB.
  let s = 1;
  const pixels = new Uint8Array(3000 * 2500).map(() => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24);
  extract({ width: 3000, height: 2500, dpi: 500, pixels });
  const after = scratchState();
  t.ok(after.bytes <= KEPT_BYTES, `${after.bytes} bytes kept after a huge image (at most ${KEPT_BYTES})`);
  t.ok(after.zeroed, 'zeroed');
});

t.test('an extraction that throws midway leaves every kept buffer zeroed', async (t) => {
  const frame = sensorFrame();
  extractProbe(frame);
  // What a stage that threw while holding a buffer would leave behind.
  borrowUint8('test.scratch.thrown', 256).fill(9);
  t.notOk(scratchState().zeroed);
  const boom = new Error('trace consumer failed');
  const trace = {
    accepts: (key: string) => key === 'skeleton',
    take: () => {
      throw boom;
    },
  };
  t.throws(() => extractProbe(frame, { trace }), boom);
  t.ok(scratchState().zeroed, 'scrubbed on the error path');
});

t.test('all kept buffers together stay within KEPT_BYTES', async (t) => {
  const half = ((KEPT_BYTES - scratchState().bytes) >> 1) + 1;
  const a = borrowUint8('test.scratch.half.a', half);
  t.ok(scratchState().bytes <= KEPT_BYTES);
  const b = borrowUint8('test.scratch.half.b', half);
  t.ok(scratchState().bytes <= KEPT_BYTES, `${scratchState().bytes} bytes kept`);
  t.equal(borrowUint8('test.scratch.half.a', half).buffer, a.buffer, 'the first is kept');
  t.not(borrowUint8('test.scratch.half.b', half).buffer, b.buffer, 'the second, over the budget, is not');
});
