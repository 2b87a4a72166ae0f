import t from 'tap';
import { silentLogger } from '../../../../drivers/logger.ts';
import type { UsbLink } from '../../../../drivers/fingerprint/profile.ts';
import { createUru4000Profile, IRQ, MODE, REG } from '../../../../drivers/fingerprint/profiles/uru4000.ts';
import { SensorError } from '../../../../drivers/fingerprint/types.ts';
import { PLAIN_BLOCKS, rawFrame, SCRAMBLED_BLOCKS, SEED, sensorImage } from '../../../fixtures/fingerprint/make-ioctl.ts';

/**
 * A register-level stand-in for the sensor: HWSTAT reads come from a list, writes are logged,
 * interrupt and data reads come from queues. Reaching the end of a queue is a TIMEOUT, as a
 * silent sensor would be.
 */
class FakeSensor implements UsbLink {
  readonly log: string[] = [];
  hwstat: number[] = [0];
  irqs: (number | SensorError)[] = [];
  frames: Uint8Array[] = [];
  key = 0;

  async controlIn(request: number, value: number, _index: number, length: number): Promise<Uint8Array> {
    this.log.push(`in ${value.toString(16)}`);
    if (request !== 0x04) throw new Error('wrong request');
    if (value === REG.HWSTAT) return Uint8Array.of(this.hwstat.length > 1 ? this.hwstat.shift()! : this.hwstat[0]!);
    if (value === REG.SCRAMBLE_KEY) return Uint8Array.of(this.key & 0xff, (this.key >>> 8) & 0xff, (this.key >>> 16) & 0xff, this.key >>> 24);
    return new Uint8Array(length);
  }

  async controlOut(_request: number, value: number, _index: number, data: Uint8Array): Promise<void> {
    this.log.push(`out ${value.toString(16)}=${Buffer.from(data).toString('hex')}`);
  }

  async read(endpoint: number, _length: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Uint8Array> {
    if (endpoint === 0x82) {
      const f = this.frames.shift();
      if (!f) throw new SensorError('TIMEOUT', 'no frame');
      return f;
    }
    const next = this.irqs.shift();
    if (next === undefined) {
      if (!opts.signal) throw new SensorError('TIMEOUT', 'no interrupt', { retryable: true });
      if (opts.signal.aborted) throw opts.signal.reason;
      return new Promise((_, reject) => opts.signal!.addEventListener('abort', () => reject(opts.signal!.reason), { once: true }));
    }
    if (next instanceof SensorError) throw next;
    const data = new Uint8Array(64);
    data[0] = next >> 8;
    data[1] = next & 0xff;
    return data;
  }

  async write(): Promise<void> {
    throw new Error('the U.are.U has no OUT endpoint');
  }
}

function session(fake: FakeSensor, seed = SEED) {
  return createUru4000Profile({ randomSeed: () => seed, sleep: async () => {} }).open(fake, silentLogger);
}

t.test('uru4000 profile session', async (t) => {
  t.test('powers a sleeping sensor up and waits for the scan-power interrupt', async (t) => {
    const fake = new FakeSensor();
    fake.hwstat = [0x80, 0x80, 0x00];
    fake.irqs = [IRQ.SCANPWR_ON];
    await session(fake).init();
    t.same(fake.log, ['in 7', 'out 7=00', 'in 7', 'out 7=00', 'in 7', 'in f0']);
  });

  t.test('reboots a wedged sensor (HWSTAT bits 7 and 2) before powering it up', async (t) => {
    const fake = new FakeSensor();
    fake.hwstat = [0x84, 0x84, 0x85, 0x05];
    fake.irqs = [IRQ.SCANPWR_ON];
    await session(fake).init();
    t.same(fake.log.slice(0, 4), ['in 7', 'out 7=04', 'in 7', 'in 7'], 'writes the low nibble, polls for bit 0');
    t.same(fake.log.slice(4), ['out 7=05', 'in 7', 'in f0'], 'bit 7 already set: straight to power-up');
  });

  t.test('powers up again when the scan-power interrupt does not come, up to three times', async (t) => {
    const fake = new FakeSensor();
    fake.irqs = [new SensorError('TIMEOUT', 'quiet', { retryable: true }), IRQ.SCANPWR_ON];
    await session(fake).init();
    t.equal(fake.log.filter((l) => l === 'out 7=80').length, 2);

    const silent = new FakeSensor();
    const err = await session(silent).init().catch((e: unknown) => e);
    t.ok(err instanceof SensorError && err.code === 'TIMEOUT');
    t.equal(silent.log.filter((l) => l === 'out 7=80').length, 3);
  });

  t.test('gives up with PROTOCOL when the sensor stays in low power', async (t) => {
    const fake = new FakeSensor();
    fake.hwstat = [0x80];
    const err = await session(fake).init().catch((e: unknown) => e);
    t.ok(err instanceof SensorError && err.code === 'PROTOCOL');
    t.equal(fake.log.filter((l) => l === 'in 7').length, 101);
  });

  t.test('waits for finger-on, ignoring finger-off and the 0x0800 warning', async (t) => {
    const fake = new FakeSensor();
    fake.irqs = [IRQ.FINGER_OFF, IRQ.DEATH, IRQ.FINGER_ON];
    await session(fake).waitForFinger(new AbortController().signal);
    t.same(fake.log, [`out 4e=${MODE.AWAIT_FINGER_ON.toString(16)}`]);
    t.equal(fake.irqs.length, 0);
  });

  t.test('stops waiting for a finger when the signal aborts', async (t) => {
    const fake = new FakeSensor();
    const ac = new AbortController();
    const waiting = session(fake).waitForFinger(ac.signal);
    ac.abort(new SensorError('CANCELED', 'stop'));
    await t.rejects(waiting, { code: 'CANCELED' });
  });

  t.test('switches to capture mode and decodes a plain frame', async (t) => {
    const fake = new FakeSensor();
    fake.frames = [rawFrame(sensorImage(1), PLAIN_BLOCKS)];
    const img = await session(fake).captureFrame(1000);
    t.equal(img.width * img.height, img.pixels.length);
    t.same(fake.log, ['out 4e=20']);
  });

  t.test('fetches the scrambling key with a fresh seed and XORs the seed back out', async (t) => {
    const seed = 0x01020304;
    const fake = new FakeSensor();
    fake.key = (SEED ^ seed) >>> 0;
    fake.frames = [rawFrame(sensorImage(2), SCRAMBLED_BLOCKS, { keyNumber: 3 })];
    const img = await session(fake, seed).captureFrame(1000);
    const plain = await session(Object.assign(new FakeSensor(), { frames: [rawFrame(sensorImage(2), PLAIN_BLOCKS)] })).captureFrame(1000);
    t.same(fake.log, ['out 4e=20', 'out 33=0304030201', 'in 34', 'out 33=0404030201', 'in 34']);
    let diff = 0;
    for (let i = 0; i < img.pixels.length; i++) if (img.pixels[i] !== plain.pixels[i]) diff++;
    t.equal(diff, 2);
  });

  t.test('puts the sensor to sleep on deinit and shrugs off a vanished device', async (t) => {
    const fake = new FakeSensor();
    await session(fake).deinit();
    t.same(fake.log, ['out 4e=70']);
    const gone = new FakeSensor();
    gone.controlOut = async () => {
      throw new SensorError('DISCONNECTED', 'gone');
    };
    await t.resolves(session(gone).deinit());
  });
});
