/**
 * Integration: the doctor's sensor check through the real USB driver (usb@2, libusb) against a
 * U.are.U 4000B played by umockdev (the fingerprint driver's fixtures). umockdev works by
 * preloading into a fresh process, so the check runs in a child under `umockdev-run` and prints
 * its result as one JSON line. Needs umockdev (scripts/apt-packages.txt); fails loudly without it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEVICE_NODE, PLAIN_BLOCKS, UrbScript, rawFrame, sensorImage } from '../../fixtures/fingerprint/make-ioctl.ts';

const ROOT = join(import.meta.dirname, '../../..');
const fixtures = join(ROOT, 'test/fixtures/fingerprint');

/** Runs inside umockdev-run: the real driver on libusb, no hot-plug (umockdev sends no uevents). */
const CHILD = `
import { EventEmitter } from 'node:events';
import { usb } from 'usb';
import { silentLogger } from '${ROOT}/drivers/logger.ts';
import { UsbFingerprintSensor } from '${ROOT}/drivers/fingerprint/usb.ts';
import { createUru4000Profile } from '${ROOT}/drivers/fingerprint/profiles/uru4000.ts';
import { checkSensor } from '${ROOT}/agent/doctor/checks/sensor.ts';
const hotplug = new EventEmitter();
const bus = { getDeviceList: () => usb.getDeviceList(), on: (e, f) => hotplug.on(e, f), off: (e, f) => hotplug.off(e, f) };
const profile = createUru4000Profile({ sleep: async () => {} });
const sensor = new UsbFingerprintSensor({ driver: 'usb', profile: 'uru4000b' }, silentLogger, { bus, profile });
const result = await checkSensor({ sensor, sensorProbeMs: 2000 });
process.stdout.write(JSON.stringify(result) + '\\n');
`;

function runCheck(dir: string, script: UrbScript | null): Record<string, unknown> {
  const args: string[] = [];
  if (script) {
    const ioctl = join(dir, 'doctor.ioctl');
    writeFileSync(ioctl, script.text());
    args.push('--device', join(fixtures, 'uru4000b.umockdev'), '--ioctl', `${DEVICE_NODE}=${ioctl}`);
  }
  const res = spawnSync(
    'umockdev-run',
    [...args, '--', process.execPath, '--import', 'tsx', '--input-type=module', '-e', CHILD],
    { encoding: 'utf8', timeout: 60_000, cwd: ROOT },
  );
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`umockdev-run exited ${String(res.status)}: ${res.stderr}`);
  const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no result line: ${res.stdout} ${res.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

t.test('checkSensor through the USB driver (umockdev U.are.U 4000B)', async (t) => {
  t.test('passes a sensor that powers up and delivers a frame to the probe', async (t) => {
    const script = new UrbScript().init().capture(rawFrame(sensorImage(1), PLAIN_BLOCKS)).deinit();
    t.match(runCheck(t.testdir(), script), { code: 'SENSOR_OK', status: 'pass', detail: 'DigitalPersona U.are.U 4000B/4500' });
  });

  t.test('fails with SENSOR_ABSENT when no sensor is on the bus', async (t) => {
    t.match(runCheck(t.testdir(), null), { code: 'SENSOR_ABSENT', status: 'fail' });
  });
});
