import t from 'tap';
import { byte, command, initSequence, nibble, rowAddress, writeRow, CMD } from '../../../drivers/display/hd44780.ts';
import { Hd44780Model } from '../../helpers/hd44780Model.ts';

t.test('PCF8574 bit mapping: P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7', async (t) => {
  // Instruction nibble 0x3, backlight on: D5 D4 set, BL set, E pulsed.
  t.same(nibble(0x3, false, true), [0x38, 0x3c, 0x38]);
  // Data 'A' (0x41): RS set on every byte, high nibble first.
  t.same(byte(0x41, true, true), [0x49, 0x4d, 0x49, 0x19, 0x1d, 0x19]);
  // Backlight off clears P3 only.
  t.same(nibble(0xf, false, false), [0xf0, 0xf4, 0xf0]);
  for (const b of [...byte(0xff, true, true), ...byte(0x00, false, false)]) t.equal(b & 0x02, 0, 'RW is never driven high');
});

t.test('init sequence is the datasheet 4-bit initialisation by instruction', async (t) => {
  const steps = initSequence();
  t.same(
    steps.slice(0, 4).map((s) => s.bytes),
    [
      [0x38, 0x3c, 0x38],
      [0x38, 0x3c, 0x38],
      [0x38, 0x3c, 0x38],
      [0x28, 0x2c, 0x28],
    ],
    'three 0x3 nibbles, then 0x2',
  );
  t.ok(steps[0].pauseMs >= 4.1, 'more than 4.1 ms after the first 0x3');
  t.ok(steps[1].pauseMs >= 0.1, 'more than 100 us after the second');
  t.same(steps[4].bytes, [...command(CMD.FUNCTION_4BIT_2LINE), ...command(CMD.DISPLAY_OFF), ...command(CMD.CLEAR)]);
  t.ok(steps[4].pauseMs >= 1.52, 'clear display needs 1.52 ms');
  t.same(steps[5].bytes, [...command(0x06), ...command(0x0c)]);
  // Function set 0x28 as bytes: nibble 0x2 then 0x8, RS low, backlight on.
  t.same(command(0x28), [0x28, 0x2c, 0x28, 0x88, 0x8c, 0x88]);
});

t.test('the controller model accepts the stream and shows what was written', async (t) => {
  const lcd = new Hd44780Model();
  for (const s of initSequence()) lcd.write(s.bytes);
  t.same(lcd.violations, []);
  t.equal(lcd.mode, '4bit');
  t.equal(lcd.lines, 2);
  t.equal(lcd.displayOn, true);
  t.equal(lcd.backlight, true);
  const rows = ['PENCOCOKAN     A-012', 'SESUAI / SANGGAH?   ', 'baris tiga          ', 'baris empat dua puluh'.slice(0, 20)];
  rows.forEach((r, i) => lcd.write(writeRow(i, r, 20).bytes));
  t.same(lcd.violations, []);
  t.same(lcd.screen(20, 4), rows);
});

t.test('DDRAM row starts for 20- and 16-column modules', async (t) => {
  t.same([0, 1, 2, 3].map((r) => rowAddress(r, 20)), [0x00, 0x40, 0x14, 0x54]);
  t.same([0, 1, 2, 3].map((r) => rowAddress(r, 16)), [0x00, 0x40, 0x10, 0x50]);
  t.same(writeRow(2, '', 20).bytes, command(0x80 | 0x14));
});
