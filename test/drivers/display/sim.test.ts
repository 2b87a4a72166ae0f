import t from 'tap';
import { SimDisplay } from '../../../drivers/display/sim.ts';

t.test('SimDisplay keeps the fitted lines and the history', async (t) => {
  const d = new SimDisplay();
  await d.open();
  await d.show(['SIAP', 'Menunggu: 3 orang dan seterusnya lebih']);
  t.same(d.lines(), ['SIAP                ', 'Menunggu: 3 orang da', ' '.repeat(20), ' '.repeat(20)]);
  t.equal(d.history.length, 1);
  t.match(d.frame(), /^\+-{20}\+\n\|SIAP {16}\|/);
  await d.clear();
  t.same(d.lines(), Array(4).fill(' '.repeat(20)));
});

t.test('SimDisplay fails on request like the real one', async (t) => {
  const d = new SimDisplay({ columns: 16, rows: 2 });
  await d.open();
  const faults: string[] = [];
  d.on('fault', (e) => faults.push(e.code));
  d.failNext('DISPLAY_IO');
  await t.rejects(d.show(['x']), { code: 'DISPLAY_IO' });
  t.same(faults, ['DISPLAY_IO']);
  await d.show(['ok']);
  t.equal(d.lines()[0], 'ok' + ' '.repeat(14));
  await t.rejects(d.show(['1', '2', '3']), RangeError);
  await d.close();
  await t.rejects(d.show(['x']), { code: 'DISPLAY_IO' });
  d.failNext('DISPLAY_ABSENT');
  await t.rejects(d.open(), { code: 'DISPLAY_ABSENT' });
});
