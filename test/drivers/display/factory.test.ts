import t from 'tap';
import { createDisplay, parseDisplayConfig } from '../../../drivers/display/factory.ts';
import { I2cDisplay } from '../../../drivers/display/i2c.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import { silentLogger } from '../../../drivers/logger.ts';

t.test('createDisplay', async (t) => {
  t.test('builds the simulator only when asked for it', async (t) => {
    const d = await createDisplay({ driver: 'sim', columns: 20, rows: 4 }, silentLogger);
    t.type(d, SimDisplay);
  });
  t.test('builds the I2C driver without opening the bus', async (t) => {
    const d = await createDisplay({ driver: 'i2c', bus: 1, address: 39, columns: 20, rows: 4 }, silentLogger);
    t.type(d, I2cDisplay);
    t.equal((d as I2cDisplay).isOpen, false);
    t.equal(d.columns, 20);
  });
  t.test('rejects an unknown driver instead of falling back to the simulator', async (t) => {
    await t.rejects(createDisplay({ driver: 'spi' }, silentLogger), { code: 'DISPLAY_CONFIG' });
  });
  t.test('lists every problem at once', async (t) => {
    let err: unknown;
    try {
      parseDisplayConfig({ driver: 'i2c', bus: -1, address: 0x80, columns: 40, rows: 3, contrast: 5 });
    } catch (e) {
      err = e;
    }
    t.match(err, {
      code: 'DISPLAY_CONFIG',
      detail: { errors: [/display.columns: must be 16 or 20/, /display.rows: must be 2 or 4/, /display.contrast: unknown key/, /display.bus/, /display.address: .*0x27/] },
    });
  });
  t.test('fills the 20x4 geometry by default', async (t) => {
    t.same(parseDisplayConfig({ driver: 'i2c', bus: 1, address: 63 }), { driver: 'i2c', bus: 1, address: 63, columns: 20, rows: 4 });
    t.same(parseDisplayConfig(undefined), { driver: 'sim', columns: 20, rows: 4 });
  });
});
