/**
 * Issue #16, "faults nobody hears", with the real USB driver: deviceFaults.test.ts unplugs the
 * simulated sensor; here the counter runs with drivers/fingerprint/usb.ts against the U.are.U
 * 4000B played by umockdev, and the sensor is hot-removed mid-capture by a real uevent that
 * libusb's udev monitor receives (test/harness/umockdevHotplug.ts), then plugged back. The
 * counter is assembled exactly as the agent is (agent/assemble.ts), in a child process under
 * `umockdev-run`, since umockdev works by preloading into a fresh process:
 * test/fixtures/fingerprint/run-counter-unplug.ts prints what it sees, this test judges it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEVICE_NODE, scenarios } from '../../fixtures/fingerprint/make-ioctl.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/fingerprint');

type Step = { step: string; [k: string]: unknown };

t.test('sensor hot-removed mid-capture under the real USB driver: GANGGUAN, one sensor_fault each way, UNVERIFIED not GAGAL', async (t) => {
  const dir = t.testdir();
  const ioctl = join(dir, 'counter-unplug.ioctl');
  writeFileSync(ioctl, scenarios['counter-unplug']!().text());
  const res = spawnSync(
    'umockdev-run',
    [
      '--device',
      join(fixtures, 'uru4000b.umockdev'),
      '--ioctl',
      `${DEVICE_NODE}=${ioctl}`,
      '--',
      process.execPath,
      '--import',
      'tsx',
      join(fixtures, 'run-counter-unplug.ts'),
      join(dir, 'data'),
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (res.error) throw res.error;
  t.equal(res.status, 0, res.stderr);
  const steps = new Map(
    res.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Step)
      .map((s) => [s.step, s]),
  );

  t.match(steps.get('opened'), { sensorModel: { status: 'ok' }, listeners: Number }, 'the real driver opened the sensor');
  t.ok((steps.get('opened')?.listeners as number) >= 1, "libusb's udev monitor listens for uevents");
  t.match(steps.get('capturing'), { state: 'VERIFY_FINGER', sensorEvents: [], gangguan: 'off', alerts: [] }, 'waiting for the finger on the real sensor');

  const unplugged = steps.get('unplugged');
  t.match(unplugged, { sensorEvents: [{ result: 'fault', code: 'DISCONNECTED' }], gangguan: 'fast', sensorHealth: { status: 'absent' } }, 'GANGGUAN and sensor_fault at once');
  t.ok((unplugged?.alerts as string[]).includes('sensor_absent'), 'status.alerts');
  t.match(unplugged?.display, /Sensor sidik jari\s*\|\n\|terlepas\./, 'the operator display names the fault');

  const verdict = steps.get('verdict');
  t.match(verdict, { ended: 'UNVERIFIED', gagalLed: 'off' }, 'the transaction ends unverified, never GAGAL');
  t.same(verdict?.sensorEvents, [{ result: 'fault', code: 'DISCONNECTED' }], 'one event for the fault, however often the counter retried');
  t.notMatch(verdict?.display, /UNVERIFIED/, 'the display says it in Bahasa Indonesia');
  t.match(verdict?.display, /BELUM DIVERIF\./);

  const replugged = steps.get('replugged');
  t.same(replugged?.sensorEvents, [
    { result: 'fault', code: 'DISCONNECTED' },
    { result: 'recovered', code: 'DISCONNECTED' },
  ], 'one more on recovery');
  t.match(replugged, { gangguan: 'off', alerts: [], sensorHealth: { status: 'ok' } });

  t.same(steps.get('closed'), {
    step: 'closed',
    outcomes: [{ outcome: 'tertunda', reason: 'device_fault' }],
    ektp: 'on_hand',
    unverifiedEvents: [{ reason: 'device_fault', code: 'DISCONNECTED' }],
    sensorEvents: [
      { result: 'fault', code: 'DISCONNECTED' },
      { result: 'recovered', code: 'DISCONNECTED' },
    ],
  }, '"belum dapat diverifikasi": the e-KTP stays in the office store');
});
