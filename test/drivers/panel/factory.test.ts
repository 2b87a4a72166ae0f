import t from 'tap';
import { silentLogger } from '../../../drivers/logger.ts';
import { createPanel, parsePanelConfig } from '../../../drivers/panel/factory.ts';
import { GpioPanel } from '../../../drivers/panel/gpio.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import type { PanelError } from '../../../drivers/panel/types.ts';

const GPIO = {
  driver: 'gpio',
  chip: 'pinctrl-bcm2711',
  buttons: { PANGGIL: 5, SESUAI: 6, SANGGAH: 13, JARI_LAIN: 19, BATAL: 26 },
  leds: { SIAP: 16, SIBUK: 20, TEMPELKAN_JARI: 21, BERHASIL: 12, GAGAL: 25, GANGGUAN: { chip: 'pinctrl-bcm2711', offset: 24 } },
  debounceMs: 30,
  longPressMs: 800,
};

t.test('createPanel', async (t) => {
  t.test('builds the simulator only when asked for it', async (t) => {
    t.type(await createPanel({ driver: 'sim' }, silentLogger), SimPanel);
  });
  t.test('builds the GPIO panel without touching GPIO until open', async (t) => {
    const panel = await createPanel(GPIO, silentLogger);
    t.type(panel, GpioPanel);
    t.equal((panel as GpioPanel).isOpen, false);
  });
  t.test('rejects an unknown driver instead of falling back to the simulator', async (t) => {
    await t.rejects(createPanel({ driver: 'usb-hid' }, silentLogger), { code: 'PANEL_CONFIG' });
  });
  t.test('lists missing buttons, shared lines and bad timings at once', async (t) => {
    const err = (() => {
      try {
        parsePanelConfig({ ...GPIO, buttons: { ...GPIO.buttons, SESUAI: 5, BATAL: undefined, TOMBOL: 3 }, debounceMs: 500, longPressMs: 100 });
      } catch (e) {
        return e;
      }
    })();
    t.match(err, {
      code: 'PANEL_CONFIG',
      // The schema's problems sorted by path, then the rules across keys.
      detail: {
        errors: [
          /^panel\.buttons\.BATAL: required/,
          /^panel\.buttons\.TOMBOL: unknown/,
          /^panel\.debounceMs: 1-200/,
          /^panel\.longPressMs: 300-5000/,
          /^panel\.buttons\.SESUAI: line pinctrl-bcm2711:5 is already used by panel\.buttons\.PANGGIL$/,
        ],
      },
    });
    t.equal((err as { detail: { errors: unknown[] } }).detail.errors.length, 5);
  });
  t.test('checks the rules across keys even when the schema has errors', async (t) => {
    const err = t.throws(() =>
      parsePanelConfig({ ...GPIO, chip: undefined, buttons: 'x', leds: { ...GPIO.leds, SIAP: -1, GAGAL: 12 }, debounceMs: 100, longPressMs: 300 }),
    );
    t.same((err as PanelError).detail.errors, [
      'panel.buttons: must map PANGGIL, SESUAI, SANGGAH, JARI_LAIN, BATAL to lines',
      "panel.leds.SIAP: must be a line offset (whole number >= 0) on the panel's chip, or {chip, offset}",
      'panel.leds.SIBUK: a bare offset needs panel.chip',
      'panel.leds.TEMPELKAN_JARI: a bare offset needs panel.chip',
      'panel.leds.BERHASIL: a bare offset needs panel.chip',
      'panel.leds.GAGAL: a bare offset needs panel.chip',
      'panel.longPressMs: must be at least 4x debounceMs (400)',
    ]);
  });
  t.test('takes an optional case-intrusion switch on a line of its own', async (t) => {
    t.match(parsePanelConfig({ ...GPIO, caseSwitch: 17 }), { caseSwitch: 17 });
    const err = t.throws(() => parsePanelConfig({ ...GPIO, caseSwitch: 24 }));
    t.same((err as PanelError).detail.errors, ['panel.caseSwitch: line pinctrl-bcm2711:24 is already used by panel.leds.GANGGUAN']);
    t.throws(() => parsePanelConfig({ ...GPIO, caseSwitch: 'lid' }), { code: 'PANEL_CONFIG', message: /caseSwitch: must be a line offset/ });
  });
  t.test('a long press must outlast four debounce periods', async (t) => {
    t.throws(() => parsePanelConfig({ ...GPIO, debounceMs: 100, longPressMs: 399 }), { code: 'PANEL_CONFIG', message: /at least 4x debounceMs/ });
    t.equal(parsePanelConfig({ ...GPIO, debounceMs: 100, longPressMs: 400 }).driver, 'gpio');
  });
  t.test('needs a default chip for bare offsets', async (t) => {
    t.throws(() => parsePanelConfig({ ...GPIO, chip: undefined }), { code: 'PANEL_CONFIG', message: /needs panel.chip/ });
  });
});
