import t from 'tap';
import { createDisplay, parseDisplayConfig, validateDisplayConfig } from '../../../drivers/display/factory.ts';
import { I2cDisplay } from '../../../drivers/display/i2c.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import { silentLogger } from '../../../drivers/logger.ts';

t.test('createDisplay', async (t) => {
  t.test('builds the simulator only when asked for it', async (t) => {
    const d = await createDisplay({ driver: 'sim', columns: 16, rows: 2 }, silentLogger);
    t.type(d, SimDisplay);
    t.equal(d.columns, 16);
  });
  t.test('builds the I2C driver without opening the bus, 20x4 unless told otherwise', async (t) => {
    const d = await createDisplay({ driver: 'i2c', bus: 1, address: 39 }, silentLogger);
    t.type(d, I2cDisplay);
    t.equal((d as I2cDisplay).isOpen, false);
    t.same([d.columns, d.rows], [20, 4]);
  });
  t.test('rejects an unknown driver instead of falling back to the simulator', async (t) => {
    await t.rejects(createDisplay({ driver: 'spi' }, silentLogger), { code: 'DISPLAY_CONFIG' });
    t.same(validateDisplayConfig({ driver: 'spi' }), [`display.driver: must be 'sim' or 'i2c', got "spi"`]);
  });
  t.test('lists every problem at once', async (t) => {
    t.same(validateDisplayConfig({ driver: 'i2c', bus: -1, address: 0x80, columns: 40, rows: 3, contrast: 5 }, 'devices.display'), [
      'devices.display.address: must be a 7-bit address 8-119 (39 = 0x27 for PCF8574, 63 = 0x3F for PCF8574A)',
      'devices.display.bus: must be the N of /dev/i2c-N (1 on a Raspberry Pi)',
      'devices.display.columns: must be 16 or 20',
      'devices.display.contrast: unknown key for driver i2c',
      'devices.display.rows: must be 2 or 4',
    ]);
    t.throws(() => parseDisplayConfig({ driver: 'i2c', bus: 1 }), { code: 'DISPLAY_CONFIG', detail: { errors: ['display.address: required'] } });
  });
});
