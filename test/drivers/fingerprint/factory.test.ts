import t from 'tap';
import { silentLogger } from '../../../drivers/logger.ts';
import { createFingerprintSensor, validateFingerprintConfig } from '../../../drivers/fingerprint/factory.ts';
import { SimFingerprintSensor } from '../../../drivers/fingerprint/sim.ts';
import { UsbFingerprintSensor } from '../../../drivers/fingerprint/usb.ts';

t.test('createFingerprintSensor', async (t) => {
  t.test('builds the simulator for driver sim, with its model name', async (t) => {
    const s = await createFingerprintSensor({ driver: 'sim', model: 'meja 3' }, silentLogger);
    t.ok(s instanceof SimFingerprintSensor);
    t.equal(s.health().model, 'meja 3');
  });

  t.test('builds the USB driver by profile name or by vid and pid, without touching the bus', async (t) => {
    const byName = await createFingerprintSensor({ driver: 'usb', profile: 'uru4000b' }, silentLogger);
    t.ok(byName instanceof UsbFingerprintSensor);
    t.equal(byName.health().model, 'DigitalPersona U.are.U 4000B/4500');
    const byId = await createFingerprintSensor({ driver: 'usb', vid: 0x05ba, pid: 0x000a, captureTimeoutMs: 3000 }, silentLogger);
    t.ok(byId instanceof UsbFingerprintSensor);
  });

  t.test('throws a TypeError naming the key for every bad config, never falling back', async (t) => {
    const bad: [unknown, RegExp][] = [
      [null, /must be an object/],
      [{}, /driver/],
      [{ driver: 'serial' }, /driver/],
      [{ driver: 'usb' }, /profile or vid/],
      [{ driver: 'usb', profile: 'fs80' }, /fingerprint\.profile.*known: uru4000b/],
      [{ driver: 'usb', vid: 0x05ba }, /both or neither/],
      [{ driver: 'usb', vid: 0x10000, pid: 1 }, /fingerprint\.vid/],
      [{ driver: 'usb', vid: 0x1234, pid: 0x5678 }, /no device profile for 1234:5678/],
      [{ driver: 'usb', profile: 'uru4000b', captureTimeoutMs: 50 }, /captureTimeoutMs/],
      [{ driver: 'usb', profile: 'uru4000b', timeout: 5 }, /fingerprint\.timeout: unknown key/],
      [{ driver: 'sim', model: 3 }, /fingerprint\.model/],
    ];
    for (const [config, message] of bad) {
      await t.rejects(createFingerprintSensor(config, silentLogger), { name: 'TypeError', message }, JSON.stringify(config));
    }
  });
});

t.test('validateFingerprintConfig', async (t) => {
  t.test('returns no problems for a valid config', async (t) => {
    t.same(validateFingerprintConfig({ driver: 'usb', profile: 'uru4000b' }), []);
  });

  t.test('returns the problem under the caller path', async (t) => {
    t.same(validateFingerprintConfig({ driver: 'usb', vid: 1 }, 'devices.fingerprint'), ['devices.fingerprint.vid/pid: give both or neither']);
  });
});
