/**
 * The doctor's panel check through the GPIO panel driver on a sysfs tree laid out in a temp dir
 * (real sysfs GPIO exists only on a board; test/hil covers that). Line I/O is never reached: the
 * faults below are found while the driver resolves the chip and lines.
 */
import t from 'tap';
import { checkPanel } from '../../../agent/doctor/checks/panel.ts';
import { GpioPanel } from '../../../drivers/panel/gpio.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { BUTTONS, LEDS } from '../../../drivers/panel/types.ts';

const CHIP = 'pinctrl-bcm2711';
const lines = (names: readonly string[], first: number) => Object.fromEntries(names.map((n, i) => [n, { chip: CHIP, offset: first + i }])) as never;

function gpioPanel(sysfsRoot: string): GpioPanel {
  return new GpioPanel({
    buttons: lines(BUTTONS, 5),
    leds: lines(LEDS, 16),
    debounceMs: 30,
    longPressMs: 800,
    sysfsRoot,
    logger: silentLogger,
    openLine: () => {
      throw new Error('the check must fail before any line is exported');
    },
  });
}

t.test('checkPanel through the GPIO panel driver', async (t) => {
  t.test('names a wiring config for a chip this board does not have as PANEL_LINE_MISSING', async (t) => {
    const root = t.testdir({ export: '', unexport: '', gpiochip512: { label: 'pinctrl-rp1\n', base: '512\n', ngpio: '54\n' } });
    t.match(await checkPanel({ panel: gpioPanel(root) }), { code: 'PANEL_LINE_MISSING', status: 'fail', detail: /pinctrl-rp1/ });
  });

  t.test('names a kernel without sysfs GPIO as PANEL_UNAVAILABLE', async (t) => {
    t.match(await checkPanel({ panel: gpioPanel(`${t.testdir({})}/gpio`) }), { code: 'PANEL_UNAVAILABLE', status: 'fail', detail: /^GPIO_UNAVAILABLE: / });
  });
});
