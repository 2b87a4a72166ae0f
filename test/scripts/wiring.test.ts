import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderWiring, staleFiles, SVG_PATH } from '../../scripts/wiring.ts';
import { HEADER, RESERVED_BCM } from '../../scripts/wiring/header.ts';
import { GROUND_PINS, readReferenceConfig, SUPPLY_PINS, wiringOf } from '../../scripts/wiring/referenceBuild.ts';
import { wiringSvg } from '../../scripts/wiring/svg.ts';
import { BUTTONS, LEDS } from '../../drivers/panel/types.ts';

const ROOT = join(import.meta.dirname, '../..');

t.test('docs/wiring.svg and the tables in docs/reference-build.md are what the generator makes now', async (t) => {
  t.same(staleFiles(), [], 'run npm run wiring and commit the result');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/wiring.ts'), '--check'], { encoding: 'utf8', cwd: ROOT });
  t.equal(r.status, 0, r.stderr);
});

t.test('the wiring follows the reference config', async (t) => {
  const config = readReferenceConfig();
  const w = wiringOf(config);
  const panel = (config.devices as { panel: { buttons: Record<string, number>; leds: Record<string, number> } }).panel;
  t.same(
    w.buttons.map((b) => [b.name, b.bcm]),
    BUTTONS.map((b) => [b, panel.buttons[b]]),
  );
  t.same(
    w.leds.map((l) => [l.name, l.bcm]),
    LEDS.map((l) => [l, panel.leds[l]]),
  );
  const svg = wiringSvg(w);
  for (const b of w.buttons) t.match(svg, `>${b.name.replace('_', ' ')}</text>`, `button ${b.name} is drawn`);
  for (const l of w.leds) t.match(svg, `>${l.name.replace('_', ' ')}</tspan>`, `LED ${l.name} is drawn`);

  t.test('moving a line in the config moves it in the picture', async (t) => {
    const moved = structuredClone(config) as typeof config & { devices: { panel: { leds: Record<string, number> } } };
    moved.devices.panel.leds.SIAP = 23; // header pin 16
    const w2 = wiringOf(moved);
    t.equal(w2.leds.find((l) => l.name === 'SIAP')?.pin, 16);
    t.not(wiringSvg(w2), svg);
    t.match(wiringSvg(w2), /font-weight="bold" fill="#212121">GPIO23<\/text>/, 'pin 16 is labelled as used');
  });

  t.test('the display address comes from devices.display once the config has one', async (t) => {
    const withDisplay = { ...config, devices: { ...(config.devices as object), display: { driver: 'i2c', bus: 1, address: 0x3f, columns: 20, rows: 4 } } };
    const d = wiringOf(withDisplay).i2c.find((p) => p.id === 'display');
    t.match(d, { address: 0x3f, source: 'config' });
    t.match(wiringSvg(wiringOf(withDisplay)), 'I2C 0x3f, 5 V<');
    t.throws(() => wiringOf({ ...withDisplay, devices: { ...withDisplay.devices, display: { driver: 'i2c', bus: 0, address: 0x27 } } }), /bus 1/);
  });
});

t.test('electrical rules of the reference build', async (t) => {
  const w = wiringOf(readReferenceConfig());
  for (const l of w.leds) t.ok(l.milliamps >= 5 && l.milliamps <= 8, `${l.name}: ${l.milliamps} mA within 5-8 mA`);
  const total = w.leds.reduce((s, l) => s + l.milliamps, 0);
  t.ok(total < 50, `all LEDs lit draw ${total.toFixed(1)} mA from the header, under 50 mA`);

  const pins = [...w.buttons.map((b) => b.pin), ...w.leds.map((l) => l.pin), 3, 5, SUPPLY_PINS.v3, SUPPLY_PINS.v5, ...Object.values(GROUND_PINS)];
  t.equal(new Set(pins).size, pins.length, 'no header pin is used twice');
  for (const p of [...w.buttons, ...w.leds]) t.notOk(RESERVED_BCM[p.bcm], `GPIO${p.bcm} is not reserved`);
  t.same(HEADER.map((h) => h.pin), Array.from({ length: 40 }, (_, i) => i + 1), 'the header table has pins 1-40 in order');

  const bcm = (xs: readonly { bcm: number }[]) => xs.map((x) => x.bcm).sort((a, b) => a - b).join(',');
  t.ok(w.bootConfig.includes(`gpio=${bcm(w.buttons)}=ip,pu`), 'every button gets its pull-up at boot (the panel reads active low)');
  t.ok(w.bootConfig.includes(`gpio=${bcm(w.leds)}=op,dl`), 'every LED is off from boot');
  t.ok(w.bootConfig.includes('dtoverlay=i2c-rtc,ds3231'), 'the RTC sets the clock before NTP');
  t.equal(new Set(w.i2c.map((d) => d.address)).size, w.i2c.length, 'I2C addresses differ');
  t.ok(w.i2c.filter((d) => d.supplyVolts === 5).every((d) => d.levelShifted), 'no 5 V pull-up reaches a 3.3 V pin');
});

t.test('configs the reference drawing refuses', async (t) => {
  const config = readReferenceConfig() as { devices: { panel: Record<string, unknown> } } & Record<string, unknown>;
  const withPanel = (panel: Record<string, unknown>) => ({ ...config, devices: { ...config.devices, panel: { ...config.devices.panel, ...panel } } });
  const buttons = config.devices.panel.buttons as Record<string, number>;
  t.throws(() => wiringOf(withPanel({ buttons: { ...buttons, PANGGIL: 2 } })), /PANGGIL: GPIO 2 is reserved for I2C1 SDA/);
  t.throws(() => wiringOf(withPanel({ buttons: { ...buttons, BATAL: 14 } })), /serial console/);
  t.throws(() => wiringOf(withPanel({ chip: 'gpio-mockup-A' })), /Raspberry Pi header chip/);
  t.throws(() => wiringOf({ ...config, devices: { ...config.devices, panel: { driver: 'sim' } } }), /gpio panel/);
  t.throws(() => wiringSvg(wiringOf(withPanel({ buttons: { ...buttons, PANGGIL: 17 } }))), /pins 29-39/, 'a button among the I2C parts is refused, not drawn across them');
});

t.test('renderWiring names exactly the two generated files', async (t) => {
  t.same([...renderWiring().keys()], [SVG_PATH, 'docs/reference-build.md']);
});
