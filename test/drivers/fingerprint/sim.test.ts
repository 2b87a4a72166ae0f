import t from 'tap';
import { SimFingerprintSensor } from '../../../drivers/fingerprint/sim.ts';
import type { FingerImage } from '../../../drivers/fingerprint/types.ts';
import { SensorError } from '../../../drivers/fingerprint/types.ts';

function frame(fill: number): FingerImage {
  return { width: 4, height: 2, dpi: 500, pixels: new Uint8Array(8).fill(fill) };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof SensorError ? err.code : `not a SensorError: ${String(err)}`;
  }
}

t.test('SimFingerprintSensor', async (t) => {
  t.test('returns a frame queued before the capture', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    const img = frame(7);
    s.present(img);
    t.equal(await s.capture({ timeoutMs: 1000 }), img);
    t.equal(s.queued, 0);
    t.same(s.health(), { state: 'ok', model: 'simulated sensor' });
  });

  t.test('keeps a capture pending until a frame is presented', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    const pending = s.capture({ timeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 20));
    const img = frame(9);
    s.present(img);
    t.equal(await pending, img);
  });

  t.test('serves queued frames in order, one per capture', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    s.present(frame(1));
    s.present(frame(2));
    t.equal((await s.capture({ timeoutMs: 100 })).pixels[0], 1);
    t.equal((await s.capture({ timeoutMs: 100 })).pixels[0], 2);
  });

  t.test('rejects with retryable TIMEOUT when nothing is presented', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    s.present(frame(1));
    s.presentNothing();
    const err = await s.capture({ timeoutMs: 30 }).catch((e: unknown) => e);
    t.ok(err instanceof SensorError);
    t.equal((err as SensorError).code, 'TIMEOUT');
    t.equal((err as SensorError).retryable, true);
    t.equal(s.health().lastError, 'TIMEOUT');
  });

  t.test('rejects with CANCELED when the signal aborts, and a late frame goes to the next capture', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    const ac = new AbortController();
    const pending = s.capture({ timeoutMs: 5000, signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    t.equal(await codeOf(pending), 'CANCELED');
    s.present(frame(3));
    t.equal((await s.capture({ timeoutMs: 100 })).pixels[0], 3);
  });

  t.test('rejects with CANCELED at once when the signal is already aborted', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    s.present(frame(1));
    t.equal(await codeOf(s.capture({ timeoutMs: 100, signal: AbortSignal.abort() })), 'CANCELED');
  });

  t.test('rejects a second concurrent capture with BUSY', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    const first = s.capture({ timeoutMs: 1000 });
    await new Promise((r) => setTimeout(r, 5));
    t.equal(await codeOf(s.capture({ timeoutMs: 1000 })), 'BUSY');
    s.present(frame(4));
    t.equal((await first).pixels[0], 4);
  });

  t.test('rejects a pending capture with DISCONNECTED on unplug and works again after replug', async (t) => {
    const s = new SimFingerprintSensor();
    const events: string[] = [];
    s.on('detached', () => events.push('detached'));
    s.on('attached', () => events.push('attached'));
    await s.open();
    const outcome = codeOf(s.capture({ timeoutMs: 1000 }));
    await new Promise((r) => setTimeout(r, 5));
    s.unplug();
    t.equal(await outcome, 'DISCONNECTED');
    t.equal(s.health().state, 'absent');
    t.equal(await codeOf(s.capture({ timeoutMs: 100 })), 'DISCONNECTED');
    s.replug();
    t.equal(s.health().state, 'ok');
    s.present(frame(5));
    t.equal((await s.capture({ timeoutMs: 100 })).pixels[0], 5);
    t.same(events, ['detached', 'attached']);
  });

  t.test('refuses to open with ABSENT while unplugged', async (t) => {
    const s = new SimFingerprintSensor();
    s.unplug();
    t.equal(await codeOf(s.open()), 'ABSENT');
    t.equal(s.isOpen, false);
  });

  t.test('cancels a pending capture on close, and close twice is harmless', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    const outcome = codeOf(s.capture({ timeoutMs: 1000 }));
    await new Promise((r) => setTimeout(r, 5));
    await s.close();
    await s.close();
    t.equal(await outcome, 'CANCELED');
    t.equal(await codeOf(s.capture({ timeoutMs: 100 })), 'CANCELED');
  });

  t.test('throws a TypeError naming timeoutMs when it is not a positive integer', async (t) => {
    const s = new SimFingerprintSensor();
    await s.open();
    await t.rejects(s.capture({ timeoutMs: 0 }), { name: 'TypeError', message: /timeoutMs/ });
  });
});
