import t from 'tap';
import { listChips, resolveLine } from '../../../drivers/panel/chip.ts';

t.test('listChips / resolveLine', async (t) => {
  const root = () =>
    t.testdir({
      export: '',
      unexport: '',
      gpiochip512: { label: 'pinctrl-rp1\n', base: '512\n', ngpio: '54\n' },
      gpiochip566: { label: 'rp1-sys-gpio\n', base: '566\n', ngpio: '8\n' },
      gpio529: { value: '0' }, // an exported line directory: not a chip
    });

  t.test('reads label, base and ngpio of every chip', async (t) => {
    t.same(await listChips(root()), [
      { name: 'gpiochip512', label: 'pinctrl-rp1', base: 512, ngpio: 54 },
      { name: 'gpiochip566', label: 'rp1-sys-gpio', base: 566, ngpio: 8 },
    ]);
  });
  t.test('resolves a line as the chip base plus the offset', async (t) => {
    const chips = await listChips(root());
    t.equal(resolveLine(chips, { chip: 'pinctrl-rp1', offset: 17 }), 529);
    t.equal(resolveLine(chips, { chip: 'rp1-sys-gpio', offset: 0 }), 566);
  });
  t.test('rejects an offset beyond the chip', async (t) => {
    const chips = await listChips(root());
    t.throws(() => resolveLine(chips, { chip: 'pinctrl-rp1', offset: 54 }), { code: 'GPIO_LINE_NOT_FOUND' });
  });
  t.test('names the chips present when the label is unknown', async (t) => {
    const chips = await listChips(root());
    t.throws(() => resolveLine(chips, { chip: 'pinctrl-bcm2711', offset: 4 }), { code: 'GPIO_LINE_NOT_FOUND', message: /pinctrl-rp1/ });
  });
  t.test('reports a garbled base as GPIO_IO', async (t) => {
    const bad = t.testdir({ gpiochip0: { label: 'x', base: 'abc', ngpio: '8' } });
    await t.rejects(listChips(bad), { code: 'GPIO_IO' });
  });
  t.test('reports a missing sysfs tree as GPIO_UNAVAILABLE', async (t) => {
    await t.rejects(listChips(t.testdir({}) + '/nope'), { code: 'GPIO_UNAVAILABLE' });
  });
});
