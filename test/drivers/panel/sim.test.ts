import { PassThrough } from 'node:stream';
import t from 'tap';
import { attachKeyboard } from '../../../drivers/panel/keyboard.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import type { PanelInput } from '../../../drivers/panel/types.ts';

async function openPanel() {
  const panel = new SimPanel();
  await panel.open();
  const inputs: PanelInput[] = [];
  panel.on('input', (i) => inputs.push(i));
  return { panel, inputs };
}

t.test('SimPanel', async (t) => {
  t.test('emits presses, long presses and chord commands like the GPIO panel', async (t) => {
    const { panel, inputs } = await openPanel();
    panel.press('SESUAI');
    panel.longPress('BATAL');
    panel.chord('PANGGIL', 'BATAL');
    panel.chord('SESUAI', 'SANGGAH');
    t.same(inputs, [
      { kind: 'press', button: 'SESUAI' },
      { kind: 'long', button: 'BATAL' },
      { kind: 'command', command: 'REPRINT_LAST' },
      { kind: 'command', command: 'DAILY_REPORT' },
    ]);
  });
  t.test('refuses a chord that means nothing and an unknown button', async (t) => {
    const { panel } = await openPanel();
    t.throws(() => panel.chord('SESUAI', 'BATAL'), /known chords/);
    t.throws(() => panel.press('TOMBOL' as never), RangeError);
  });
  t.test('refuses input while closed', async (t) => {
    const panel = new SimPanel();
    t.throws(() => panel.press('PANGGIL'), /not open/);
  });
  t.test('reads back LED patterns', async (t) => {
    const { panel } = await openPanel();
    panel.setLed('GANGGUAN', 'fast');
    t.equal(panel.led('GANGGUAN'), 'fast');
    t.equal(panel.leds().SIAP, 'off');
  });
});

t.test('attachKeyboard', async (t) => {
  t.test('maps keys to presses, capitals to long presses and r/l to the commands', async (t) => {
    const { panel, inputs } = await openPanel();
    const input = new PassThrough();
    let out = '';
    let quit = 0;
    const detach = attachKeyboard(panel, { input: input as never, write: (s) => (out += s), onQuit: () => quit++ });
    input.write('psdjbBrlx\u0003');
    await new Promise((r) => setImmediate(r));
    detach();
    t.match(out, /p\s+PANGGIL/);
    t.same(inputs, [
      { kind: 'press', button: 'PANGGIL' },
      { kind: 'press', button: 'SESUAI' },
      { kind: 'press', button: 'SANGGAH' },
      { kind: 'press', button: 'JARI_LAIN' },
      { kind: 'press', button: 'BATAL' },
      { kind: 'long', button: 'BATAL' },
      { kind: 'command', command: 'REPRINT_LAST' },
      { kind: 'command', command: 'DAILY_REPORT' },
    ]);
    t.equal(quit, 1);
  });
});
