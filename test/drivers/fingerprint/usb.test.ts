/**
 * The USB driver end to end: usb@2 and libusb talk to a U.are.U 4000B played by umockdev from
 * generated ioctl scripts. Each scenario runs test/fixtures/fingerprint/run-uru4000.ts under
 * `umockdev-run` (a child process, since umockdev works by preloading into a fresh process).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  DEVICE_NODE,
  H,
  PLAIN_BLOCKS,
  SCRAMBLED_BLOCKS,
  W,
  scenarios,
  sensorImage,
  type FrameBlock,
} from '../../fixtures/fingerprint/make-ioctl.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/fingerprint');

type Step = { step: string; ok?: boolean; code?: string; sha256?: string; [k: string]: unknown };

function runScenario(dir: string, scenario: string, withDevice = true): Step[] {
  const args: string[] = [];
  if (withDevice) {
    const ioctl = join(dir, `${scenario}.ioctl`);
    writeFileSync(ioctl, scenarios[scenario]!().text());
    args.push('--device', join(fixtures, 'uru4000b.umockdev'), '--ioctl', `${DEVICE_NODE}=${ioctl}`);
  }
  const res = spawnSync(
    'umockdev-run',
    [...args, '--', process.execPath, '--import', 'tsx', join(fixtures, 'run-uru4000.ts'), scenario],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`umockdev-run exited ${String(res.status)}: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Step);
}

/** What the driver must return: lines laid out, lost bytes zero, inverted, turned 180 degrees. */
function expectedSha(image: Uint8Array, blocks: readonly FrameBlock[]): string {
  const canvas = new Uint8Array(W * H);
  let line = 0;
  for (const b of blocks) {
    canvas.set(image.subarray(line * W, (line + b.lines) * W), line * W);
    line += b.lines;
    if ((b.flags & 0x06) === 0x02) canvas[line * W - 1] = 0;
  }
  const out = canvas.map((_, i) => 255 - canvas[canvas.length - 1 - i]!);
  return createHash('sha256').update(out).digest('hex');
}

function byStep(steps: Step[]): Map<string, Step> {
  return new Map(steps.map((s) => [s.step, s]));
}

t.test('UsbFingerprintSensor over libusb (umockdev U.are.U 4000B)', async (t) => {
  const dir = t.testdir();
  const session = byStep(runScenario(dir, 'session'));
  const unplug = byStep(runScenario(dir, 'unplug'));
  const unplugWait = byStep(runScenario(dir, 'unplug-wait'));
  const absent = byStep(runScenario(dir, 'absent', false));

  t.test('enumerates, opens and powers up the sensor', async (t) => {
    t.match(session.get('open'), { ok: true });
  });

  t.test('captures a plain frame as an upright 384x290 image with dark ridges', async (t) => {
    t.match(session.get('plain'), { ok: true, width: 384, height: 290, dpi: 512 });
    t.equal(session.get('plain')?.sha256, expectedSha(sensorImage(1), PLAIN_BLOCKS));
  });

  t.test('descrambles a frame after fetching keys for both key numbers', async (t) => {
    t.equal(session.get('scrambled')?.sha256, expectedSha(sensorImage(2), SCRAMBLED_BLOCKS));
  });

  t.test('rejects a garbage header with BAD_FRAME', async (t) => {
    t.match(session.get('garbage-header'), { ok: false, code: 'BAD_FRAME', retryable: true });
  });

  t.test('rejects a frame that ends early with BAD_FRAME', async (t) => {
    t.match(session.get('short-frame'), { ok: false, code: 'BAD_FRAME', message: /49252 bytes/ });
    t.match(session.get('truncated-header'), { ok: false, code: 'BAD_FRAME', message: /header/ });
  });

  t.test('rejects a stalled data endpoint and a runt interrupt with PROTOCOL', async (t) => {
    t.match(session.get('stall'), { ok: false, code: 'PROTOCOL', retryable: false });
    t.match(session.get('short-irq'), { ok: false, code: 'PROTOCOL' });
  });

  t.test('reports a hot-plug detach as absent and refuses captures with DISCONNECTED', async (t) => {
    t.match(session.get('detached'), { health: { state: 'absent', lastError: 'DISCONNECTED' }, events: ['detached'] });
    t.match(session.get('while-unplugged'), { ok: false, code: 'DISCONNECTED', retryable: true });
  });

  t.test('powers the sensor up again after it is plugged back and captures', async (t) => {
    t.match(session.get('attached'), { health: { state: 'ok' }, events: ['detached', 'attached'] });
    t.equal(session.get('after-replug')?.sha256, expectedSha(sensorImage(3), PLAIN_BLOCKS));
    t.match(session.get('close'), { ok: true });
  });

  t.test('rejects with DISCONNECTED when the sensor vanishes mid-frame', async (t) => {
    t.match(unplug.get('open'), { ok: true });
    t.match(unplug.get('mid-capture'), { ok: false, code: 'DISCONNECTED', retryable: true });
    t.match(unplug.get('after'), { health: { state: 'absent' }, events: ['detached'] });
    t.match(unplug.get('again'), { ok: false, code: 'DISCONNECTED' });
    t.match(unplug.get('close'), { ok: true });
  });

  t.test('rejects with DISCONNECTED when the sensor vanishes while waiting for a finger', async (t) => {
    t.match(unplugWait.get('mid-capture'), { ok: false, code: 'DISCONNECTED', retryable: true });
    t.match(unplugWait.get('after'), { health: { state: 'absent' }, events: ['detached'] });
  });

  t.test('fails open with ABSENT when no such sensor is on the bus', async (t) => {
    t.match(absent.get('open'), { ok: false, code: 'ABSENT' });
    t.match(absent.get('after'), { health: { state: 'absent', lastError: 'ABSENT' }, isOpen: false });
  });
});
