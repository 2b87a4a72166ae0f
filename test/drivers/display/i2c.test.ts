import t from 'tap';
import { I2cDisplay } from '../../../drivers/display/i2c.ts';
import type { I2cBus } from '../../../drivers/display/i2cBus.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { Hd44780Model } from '../../helpers/hd44780Model.ts';

type Log = Array<{ write: number[]; address: number } | { pause: number } | { close: true }>;

/** A fake i2c-bus object at the package boundary: records transactions, feeds the model. */
function fakeBus(opts: { failWrites?: number; errno?: string } = {}) {
  const log: Log = [];
  const state = { lcd: new Hd44780Model() };
  let failures = opts.failWrites ?? 0;
  const bus: I2cBus = {
    async i2cWrite(address, length, buffer) {
      if (failures > 0) {
        failures -= 1;
        throw Object.assign(new Error('Remote I/O error'), { code: opts.errno ?? 'EREMOTEIO' });
      }
      const bytes = [...buffer.subarray(0, length)];
      log.push({ write: bytes, address });
      state.lcd.write(bytes);
      return { bytesWritten: length };
    },
    async close() {
      log.push({ close: true });
    },
  };
  return {
    bus,
    log,
    get lcd() {
      return state.lcd;
    },
    /** The backpack lost power: the controller is back in its power-on (8-bit) state. */
    powerCycle: () => (state.lcd = new Hd44780Model()),
    setFailures: (n: number) => (failures = n),
  };
}

function display(fake: ReturnType<typeof fakeBus>, opened: number[] = []) {
  return new I2cDisplay({
    bus: 1,
    address: 0x27,
    columns: 20,
    rows: 4,
    logger: silentLogger,
    openBus: async (n) => {
      opened.push(n);
      return fake.bus;
    },
    pause: async (ms) => void fake.log.push({ pause: ms }),
  });
}

t.test('open waits for power-up, initialises, and talks to the configured address', async (t) => {
  const fake = fakeBus();
  const opened: number[] = [];
  const d = display(fake, opened);
  await d.open();
  t.same(opened, [1]);
  t.same(fake.log[0], { pause: 50 }, '> 40 ms before the first instruction');
  t.same(fake.log[1], { write: [0x38, 0x3c, 0x38], address: 0x27 });
  t.same(fake.log[2], { pause: 5 });
  t.same(fake.lcd.violations, []);
  t.equal(fake.lcd.mode, '4bit');
  t.equal(fake.lcd.displayOn, true);
  t.ok(fake.log.every((e) => !('write' in e) || e.address === 0x27));
});

t.test('show writes fitted rows, transliterated to the A00 ROM, and rewrites only changed rows', async (t) => {
  const fake = fakeBus();
  const d = display(fake);
  await d.open();
  await d.show(['SIDIK JARI     A-012', 'Sisa percobaan: 3', 'André Müller \\ ~ok']);
  t.same(fake.lcd.screen(20, 4), ['SIDIK JARI     A-012', 'Sisa percobaan: 3   ', 'Andre Muller / -ok  ', ' '.repeat(20)]);
  t.same(d.lines(), fake.lcd.screen(20, 4));
  const before = fake.log.length;
  await d.show(['SIDIK JARI     A-012', 'Sisa percobaan: 2', 'André Müller \\ ~ok']);
  const writes = fake.log.slice(before).filter((e) => 'write' in e);
  t.equal(writes.length, 1, 'one row changed, one transaction');
  t.equal(fake.lcd.screen(20, 4)[1], 'Sisa percobaan: 2   ');
  t.same(fake.lcd.violations, []);
  await t.rejects(d.show(['1', '2', '3', '4', '5']), RangeError);
});

t.test('a failed write emits fault, rejects with a code, and the next show re-initialises', async (t) => {
  const fake = fakeBus();
  const d = display(fake);
  await d.open();
  await d.show(['A']);
  const faults: string[] = [];
  d.on('fault', (e) => faults.push(e.code));
  fake.setFailures(1);
  await t.rejects(d.show(['B']), { code: 'DISPLAY_IO' });
  t.same(faults, ['DISPLAY_IO']);
  fake.powerCycle();
  const before = fake.log.length;
  await d.show(['B']);
  t.same(fake.log[before], { pause: 50 }, 're-initialised from power-on timing');
  t.same(fake.lcd.violations, []);
  t.equal(fake.lcd.mode, '4bit');
  t.same(fake.lcd.screen(20, 4), ['B' + ' '.repeat(19), ...Array(3).fill(' '.repeat(20))]);
  t.same(d.lines(), fake.lcd.screen(20, 4));
});

t.test('open classifies what the installer must fix', async (t) => {
  const noBus = new I2cDisplay({
    bus: 7,
    address: 0x27,
    columns: 20,
    rows: 4,
    logger: silentLogger,
    openBus: async () => {
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    },
    pause: async () => undefined,
  });
  await t.rejects(noBus.open(), { code: 'DISPLAY_ABSENT', message: /enable I2C/ });
  const fake = fakeBus({ failWrites: 1 });
  const nack = display(fake);
  await t.rejects(nack.open(), { code: 'DISPLAY_ABSENT', message: /no answer from \/dev\/i2c-1 address 0x27/ });
  t.equal(nack.isOpen, false);
  t.same(fake.log.at(-1), { close: true }, 'the bus is closed again');
});

t.test('close blanks the screen, turns the backlight off and closes the bus', async (t) => {
  const fake = fakeBus();
  const d = display(fake);
  await d.open();
  await d.show(['SIAP']);
  await d.close();
  t.equal(fake.lcd.backlight, false);
  t.equal(fake.lcd.displayOn, false);
  t.same(fake.lcd.screen(20, 4), Array(4).fill(' '.repeat(20)));
  t.same(fake.log.at(-1), { close: true });
  await t.rejects(d.show(['x']), { code: 'DISPLAY_IO' });
});
