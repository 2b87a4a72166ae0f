import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../../agent/config/load.ts';

t.test('loadConfig', async (t) => {
  t.test('no file at all is the simulated counter with every default', async (t) => {
    const c = loadConfig(undefined);
    t.same(
      Object.values(c.devices).map((d) => d.driver),
      ['sim', 'sim', 'sim', 'sim', 'sim', 'sim', 'sim'],
    );
    t.equal(c.role, 'counter');
    t.equal(c.office, null, 'one box, its own queue');
    t.equal(c.verification.falseMatchRate, 0.0001);
    t.equal(c.verification.maxAttempts, 4);
    t.same(c.verification.fingerOrder, ['right_index', 'left_index']);
    t.equal(c.mqtt, null);
    t.ok(Object.isFrozen(c.verification), 'frozen all the way down');
  });
  t.test('an intake desk on real devices in a multi-counter office', async (t) => {
    const c = parseConfig({
      role: 'intake',
      counter: { id: 'meja-1' },
      // The desk imports the roster too: real devices, so a real Dinas key (agent/config/trust.ts).
      roster: { trustedKeys: ['/etc/ektp-agent/dinas-roster.pub.pem'] },
      devices: { scanner: { driver: 'serial', path: '/dev/serial/by-id/usb-scanner-if00', baudRate: 9600 }, keypad: { driver: 'evdev', path: '/dev/input/by-id/usb-keypad-event-kbd' } },
      office: { url: 'mqtt://192.168.10.2:1883', authority: 'meja-1' },
    });
    t.equal(c.role, 'intake');
    t.same(c.office, { url: 'mqtt://192.168.10.2:1883', authority: 'meja-1', claimTimeoutMs: 3000, resendMs: 2000, baseTopic: 'ektp/v1', keepaliveS: 10 });
    const err = t.throws(() =>
      parseConfig({ role: 'intake', roster: { trustedKeys: ['/etc/ektp-agent/dinas-roster.pub.pem'] }, devices: { scanner: { driver: 'serial', path: 'ttyACM0', baudRate: 9600 }, keypad: { driver: 'evdev' } } }),
    ) as ConfigError;
    t.same(err.problems, ['devices.scanner.path: must be a device path such as /dev/serial/by-id/usb-…-if00', 'devices.keypad.path: required, must be an input device such as /dev/input/by-id/usb-…-event-kbd']);
  });
  t.test('lists every problem at once as path: message', async (t) => {
    const err = t.throws(() =>
      parseConfig({
        site: { id: 'Bad Id', tz: 'x' },
        verification: { maxAttempts: 0, fingerOrder: ['right_index', 'right_index'] },
        devices: { printer: { driver: 'lp' } },
        mqtt: { url: 'http://broker' },
      }),
    ) as ConfigError;
    t.ok(err instanceof ConfigError);
    t.same(err.problems, [
      'site: unknown key "tz"',
      'site.id: must match pattern "^[a-z0-9-]{1,40}$"',
      'devices.printer.driver: must be one of "sim", "escpos"',
      'verification.fingerOrder: must NOT have duplicate items (items ## 0 and 1 are identical)',
      'verification.maxAttempts: must be >= 1',
      'mqtt.url: must match pattern "^(mqtt|mqtts|ws|wss|tcp|ssl)://"',
      // Trust rules in the same pass: a box that names a non-simulated driver names its roster key.
      'roster.trustedKeys: required when any device driver is real: list the Dinas roster signing public key (PEM file)',
    ]);
  });
  t.test('device sections are checked by their drivers, every problem listed', async (t) => {
    const err = t.throws(() =>
      parseConfig({ devices: { cardReader: { driver: 'pcsc' }, fingerprint: { driver: 'usb', profile: 'nope' }, printer: { driver: 'escpos', columns: 48 } } }),
    ) as ConfigError;
    t.match(err.problems, [/^devices\.cardReader\.sam/, /^devices\.fingerprint\.profile/, /^devices\.printer\.transport/]);
  });
  t.test('schema, device and broker problems come out in one list, each path once', async (t) => {
    const err = t.throws(() =>
      parseConfig({
        site: { id: 'Bad Id' },
        devices: {
          cardReader: { driver: 'pcsc' },
          panel: {
            driver: 'gpio',
            chip: 'pinctrl-bcm2711',
            buttons: { PANGGIL: 5, SESUAI: 5, SANGGAH: 6, JARI_LAIN: 7, BATAL: 8 },
            leds: { SIAP: 16, SIBUK: 20, TEMPELKAN_JARI: 21, BERHASIL: 12, GAGAL: 25, GANGGUAN: 24 },
            debounceMs: 300,
            longPressMs: 800,
          },
          printer: { driver: 'lp' },
        },
        mqtt: { url: 'mqtt://broker:1883', keepaliveS: 0, bogus: 1, tls: {} },
      }),
    ) as ConfigError;
    t.same(err.problems, [
      'site.id: must match pattern "^[a-z0-9-]{1,40}$"',
      // Once, from the file's schema: the printer's own "must be 'sim' or 'escpos'" is the same path.
      'devices.printer.driver: must be one of "sim", "escpos"',
      "devices.cardReader.sam: required: { kind: 'dev-test-keys' } (NOT FOR PRODUCTION) or { kind: 'module', path }",
      'devices.panel.debounceMs: 1-200 (20-50 suits tactile switches)',
      'devices.panel.buttons.SESUAI: line pinctrl-bcm2711:5 is already used by devices.panel.buttons.PANGGIL',
      'mqtt.bogus: unknown key',
      'mqtt.keepaliveS: must be an integer from 1 to 600',
      'mqtt.tls: set, but the URL is not mqtts://; TLS would not be used (use mqtts:// or wss://)',
      // Trust rules in the same pass: a box that names a non-simulated driver names its roster key.
      'roster.trustedKeys: required when any device driver is real: list the Dinas roster signing public key (PEM file)',
    ]);
  });
  t.test('an unreadable or non-JSON file is a clear ConfigError', async (t) => {
    const dir = t.testdir({ 'bad.json': '{ "version": 1,' });
    t.throws(() => loadConfig(join(dir, 'bad.json')), { code: 'CONFIG_INVALID', message: /not valid JSON/ });
    t.throws(() => loadConfig(join(dir, 'missing.json')), { message: /cannot read/ });
    writeFileSync(join(dir, 'array.json'), '[]');
    t.throws(() => loadConfig(join(dir, 'array.json')), { message: /must be a JSON object/ });
  });
  t.test('a real counter config passes', async (t) => {
    const c = parseConfig({
      roster: { trustedKeys: ['/etc/ektp-agent/dinas-roster.pub.pem'] },
      devices: {
        cardReader: { driver: 'pcsc', sam: { kind: 'dev-test-keys' } },
        fingerprint: { driver: 'usb', profile: 'uru4000b' },
        printer: { driver: 'escpos', columns: 48, transport: { type: 'tcp', host: '127.0.0.1', port: 9100 } },
      },
      mqtt: { url: 'mqtt://127.0.0.1:1883' },
    });
    t.equal(c.devices.printer.columns, 48);
    t.equal(c.mqtt?.url, 'mqtt://127.0.0.1:1883');
  });
});
