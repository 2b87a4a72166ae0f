import t from 'tap';
import { checkDisplay, PROBE_LINES } from '../../../agent/doctor/checks/display.ts';
import { runChecks } from '../../../agent/doctor/run.ts';
import { I2cDisplay } from '../../../drivers/display/i2c.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { Hd44780Model } from '../../helpers/hd44780Model.ts';

t.test('checkDisplay', async (t) => {
  t.test('passes and shows the probe screen on a display that answers', async (t) => {
    const lcd = new Hd44780Model();
    const writes: number[] = [];
    const display = new I2cDisplay({
      bus: 1,
      address: 0x27,
      columns: 20,
      rows: 4,
      logger: silentLogger,
      pause: async () => undefined,
      openBus: async () => ({
        async i2cWrite(address, length, buffer) {
          writes.push(address);
          lcd.write(buffer.subarray(0, length));
          // Keep what the probe showed before close blanks the screen.
          if (lcd.screen(20, 4)[3].startsWith('ektp-agent doctor')) seen.push(...lcd.screen(20, 4));
          return { bytesWritten: length };
        },
        async close() {},
      }),
    });
    const seen: string[] = [];
    t.match(await checkDisplay({ display }), { check: 'display', code: 'DISPLAY_OK', status: 'pass', detail: '20x4' });
    t.same(seen.slice(0, 4).map((l) => l.trimEnd()), [...PROBE_LINES]);
    t.same(lcd.violations, []);
    t.equal(display.isOpen, false, 'closed again');
    t.ok(writes.every((a) => a === 0x27));
  });

  t.test('names a display that does not acknowledge its address', async (t) => {
    const display = new I2cDisplay({
      bus: 1,
      address: 0x3f,
      columns: 20,
      rows: 4,
      logger: silentLogger,
      pause: async () => undefined,
      openBus: async () => ({
        async i2cWrite() {
          throw Object.assign(new Error('Remote I/O error'), { code: 'EREMOTEIO' });
        },
        async close() {},
      }),
    });
    t.match(await checkDisplay({ display }), { code: 'DISPLAY_ABSENT', status: 'fail', detail: /DISPLAY_ABSENT: no answer from \/dev\/i2c-1 address 0x3f/ });
    t.match(await runChecks({ display }), [{ check: 'pcscd' }, { check: 'display', code: 'DISPLAY_ABSENT', expected: /PCF8574 backpack \(I2C bus 1, address 0x27/ }]);
  });

  t.test('reports a write failure after open as a display error', async (t) => {
    const display = new SimDisplay();
    const open = display.open.bind(display);
    display.open = async () => {
      await open();
      display.failNext('DISPLAY_IO');
    };
    t.match(await checkDisplay({ display }), { code: 'DISPLAY_ERROR', status: 'fail' });
    t.equal(display.isOpen, false);
  });
});
