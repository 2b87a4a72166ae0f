import t from 'tap';
import {
  decodeUru4000Frame,
  FRAME_BYTES,
  HEIGHT,
  keystreamByte,
  nextKey,
  scrambleMeasure,
  WIDTH,
} from '../../../../drivers/fingerprint/profiles/uru4000Frame.ts';
import { SensorError } from '../../../../drivers/fingerprint/types.ts';
import { PLAIN_BLOCKS, rawFrame, SCRAMBLED_BLOCKS, SEED, sensorImage } from '../../../fixtures/fingerprint/make-ioctl.ts';

const noKeys = async (): Promise<number> => {
  throw new Error('plain frames need no key');
};

function header(numLines: number, blocks: [number, number][], length = FRAME_BYTES): Uint8Array {
  const f = new Uint8Array(length);
  f[4] = numLines & 0xff;
  f[5] = numLines >> 8;
  blocks.forEach(([flags, lines], i) => {
    f[16 + 2 * i] = flags;
    f[17 + 2 * i] = lines;
  });
  return f;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof SensorError ? err.code : String(err);
  }
}

t.test('decodeUru4000Frame', async (t) => {
  t.test('inverts the frame and turns it by 180 degrees', async (t) => {
    const f = header(2, [[0, 2]]);
    f[64] = 10; // line 0, column 0
    f[64 + WIDTH + 5] = 200; // line 1, column 5
    const img = await decodeUru4000Frame(f, noKeys);
    t.same([img.width, img.height, img.dpi], [WIDTH, HEIGHT, 512]);
    const last = WIDTH * HEIGHT - 1;
    t.equal(img.pixels[last], 245);
    t.equal(img.pixels[last - WIDTH - 5], 55);
    t.equal(img.pixels[0], 255, 'lines the frame does not cover are white');
  });

  t.test('repeats the following lines for a block marked not present', async (t) => {
    const f = header(2, [
      [0x01, 1],
      [0, 2],
    ]);
    f.fill(77, 64, 64 + WIDTH);
    const img = await decodeUru4000Frame(f, noKeys);
    const canvasRow = (y: number) => img.pixels.subarray((HEIGHT - 1 - y) * WIDTH, (HEIGHT - y) * WIDTH);
    t.equal(canvasRow(0)[0], 255 - 77);
    t.equal(canvasRow(1)[0], 255 - 77);
    t.equal(canvasRow(2)[0], 255);
  });

  t.test('leaves plain frames alone and asks for no key', async (t) => {
    const img = await decodeUru4000Frame(rawFrame(sensorImage(1), PLAIN_BLOCKS), noKeys);
    t.equal(img.pixels.length, WIDTH * HEIGHT);
  });

  t.test('descrambles with one key per key number, starting at the header key number', async (t) => {
    const asked: number[] = [];
    const frame = rawFrame(sensorImage(2), SCRAMBLED_BLOCKS, { keyNumber: 250 });
    const img = await decodeUru4000Frame(frame, async (n) => {
      asked.push(n);
      return SEED;
    });
    t.same(asked, [250, 251]);
    const plain = await decodeUru4000Frame(rawFrame(sensorImage(2), PLAIN_BLOCKS), noKeys);
    let diff = 0;
    for (let i = 0; i < plain.pixels.length; i++) if (plain.pixels[i] !== img.pixels[i]) diff++;
    t.equal(diff, 2, 'only the last byte of each scrambled block is lost');
  });

  t.test('turns a wrong key into noise rather than an error', async (t) => {
    const frame = rawFrame(sensorImage(2), SCRAMBLED_BLOCKS);
    const img = await decodeUru4000Frame(frame, async () => SEED ^ 1);
    t.ok(scrambleMeasure(Uint8Array.from(img.pixels).reverse()) > 1000);
  });

  t.test('rejects structurally bad frames with retryable BAD_FRAME', async (t) => {
    const cases: [string, Uint8Array][] = [
      ['shorter than the header', new Uint8Array(63)],
      ['zero lines', header(0, [[0, 10]])],
      ['one line', header(1, [[0, 1]])],
      ['290 lines or more', header(290, [[0, 200], [0, 90]])],
      ['block table short of the line count', header(100, [[0, 50]])],
      ['blocks taller than the sensor', header(200, [[0x01, 200], [0, 200]])],
      ['data short for the lines', header(200, [[0, 200]], 64 + 199 * WIDTH)],
    ];
    for (const [name, frame] of cases) {
      const err = await decodeUru4000Frame(frame, noKeys).catch((e: unknown) => e);
      t.ok(err instanceof SensorError && err.code === 'BAD_FRAME' && err.retryable, name);
    }
  });

  t.test('passes key-fetch failures through unchanged', async (t) => {
    const frame = rawFrame(sensorImage(2), SCRAMBLED_BLOCKS);
    const code = await codeOf(
      decodeUru4000Frame(frame, async () => {
        throw new SensorError('DISCONNECTED', 'gone');
      }),
    );
    t.equal(code, 'DISCONNECTED');
  });
});

t.test('uru4000 keystream', async (t) => {
  t.test('shifts right and feeds the parity of the tapped bits into bit 31', async (t) => {
    t.equal(nextKey(0), 0);
    t.equal(nextKey(1), 0x80000000, 'bit 0 is a tap');
    t.equal(nextKey(2), 1, 'bit 1 is not a tap');
    t.equal(nextKey(0x80000000), 0xc0000000, 'bit 31 is a tap');
    t.equal(nextKey(0x80000001), 0x40000000, 'two taps cancel');
  });

  t.test('takes the keystream byte from bits 4 8 11 14 18 21 24 29', async (t) => {
    t.equal(keystreamByte(1 << 4), 0x01);
    t.equal(keystreamByte(1 << 29), 0x80);
    t.equal(keystreamByte(0xffffffff), 0xff);
    t.equal(keystreamByte(~((1 << 4) | (1 << 8) | (1 << 11) | (1 << 14) | (1 << 18) | (1 << 21) | (1 << 24) | (1 << 29))), 0);
  });
});
