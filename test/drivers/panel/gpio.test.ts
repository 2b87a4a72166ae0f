import t from 'tap';
import { ManualClock } from '../../../drivers/panel/clock.ts';
import { GpioPanel } from '../../../drivers/panel/gpio.ts';
import type { GpioLine, LineMode } from '../../../drivers/panel/gpioLine.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { BUTTONS, LEDS, type ButtonName, type LedName, type PanelInput } from '../../../drivers/panel/types.ts';

/** A GpioLine in memory: tests set the level and fire edges like the kernel would. */
class FakeLine implements GpioLine {
  level: 0 | 1 = 0;
  writes: (0 | 1)[] = [];
  closed = false;
  onEdge: (() => void) | null = null;
  constructor(
    readonly n: number,
    readonly mode: LineMode,
  ) {}
  read(): 0 | 1 {
    return this.level;
  }
  write(v: 0 | 1): void {
    this.level = v;
    this.writes.push(v);
  }
  watch(onEdge: () => void): void {
    this.onEdge = onEdge;
  }
  close(): void {
    this.closed = true;
  }
  /** The line changes level, with an edge interrupt. */
  set(v: 0 | 1): void {
    this.level = v;
    this.onEdge?.();
  }
}

const CHIP = 'pinctrl-bcm2711';
const BUTTON_OFFSETS: Record<ButtonName, number> = { PANGGIL: 5, SESUAI: 6, SANGGAH: 13, JARI_LAIN: 19, BATAL: 26 };
const LED_OFFSETS: Record<LedName, number> = { SIAP: 16, SIBUK: 20, TEMPELKAN_JARI: 21, BERHASIL: 12, GAGAL: 25, GANGGUAN: 24 };

async function rig(t: Pick<typeof import('tap').t, 'testdir' | 'teardown'>) {
  // A temp dir laid out like /sys/class/gpio on a 6.6+ Raspberry Pi OS kernel (bases from 512).
  const root = t.testdir({
    export: '',
    unexport: '',
    gpiochip512: { label: `${CHIP}\n`, base: '512\n', ngpio: '58\n' },
    gpiochip570: { label: 'raspberrypi-exp-gpio\n', base: '570\n', ngpio: '8\n' },
  });
  const clock = new ManualClock();
  const lines = new Map<number, FakeLine>();
  const panel = new GpioPanel({
    buttons: Object.fromEntries(BUTTONS.map((b) => [b, { chip: CHIP, offset: BUTTON_OFFSETS[b] }])) as never,
    leds: Object.fromEntries(LEDS.map((l) => [l, { chip: CHIP, offset: LED_OFFSETS[l] }])) as never,
    debounceMs: 30,
    longPressMs: 800,
    sysfsRoot: root,
    clock,
    logger: silentLogger,
    openLine: (n, mode) => {
      const line = new FakeLine(n, mode);
      lines.set(n, line);
      return line;
    },
  });
  const inputs: PanelInput[] = [];
  panel.on('input', (i) => inputs.push(i));
  await panel.open();
  t.teardown(() => panel.close());
  const button = (b: ButtonName) => lines.get(512 + BUTTON_OFFSETS[b]) as FakeLine;
  const led = (l: LedName) => lines.get(512 + LED_OFFSETS[l]) as FakeLine;
  return { panel, clock, inputs, lines, button, led, root };
}

t.test('GpioPanel', async (t) => {
  t.test('opens each line at the chip base plus its offset, never the raw number', async (t) => {
    const { lines } = await rig(t);
    t.same([...lines.keys()].sort((a, b) => a - b), [...Object.values(BUTTON_OFFSETS), ...Object.values(LED_OFFSETS)].map((o) => 512 + o).sort((a, b) => a - b));
    t.equal(lines.get(512 + 5)?.mode, 'button');
    t.equal(lines.get(512 + 16)?.mode, 'led');
  });

  t.test('reports one press for a bouncing button and none for noise that settles back', async (t) => {
    const { clock, inputs, button } = await rig(t);
    const b = button('PANGGIL');
    for (const v of [1, 0, 1, 0, 1] as const) {
      b.set(v);
      clock.advance(3);
    }
    clock.advance(40);
    t.same(inputs, [], 'nothing while held');
    for (const v of [0, 1, 0] as const) {
      b.set(v);
      clock.advance(2);
    }
    clock.advance(40);
    t.same(inputs, [{ kind: 'press', button: 'PANGGIL' }]);

    // A spike: the line dips and returns before the debounce ends; the re-read sees no change.
    button('SESUAI').set(1);
    clock.advance(5);
    button('SESUAI').set(0);
    clock.advance(100);
    t.equal(inputs.length, 1, 'no phantom press');
  });

  t.test('reports a long press once and no short press on its release', async (t) => {
    const { clock, inputs, button } = await rig(t);
    button('BATAL').set(1);
    clock.advance(30 + 800);
    t.same(inputs, [{ kind: 'long', button: 'BATAL' }]);
    clock.advance(3000);
    button('BATAL').set(0);
    clock.advance(50);
    t.same(inputs, [{ kind: 'long', button: 'BATAL' }]);
  });

  t.test('turns BATAL+PANGGIL held together into REPRINT_LAST and SESUAI+SANGGAH into DAILY_REPORT', async (t) => {
    const { clock, inputs, button } = await rig(t);
    button('BATAL').set(1);
    clock.advance(100);
    button('PANGGIL').set(1);
    clock.advance(30 + 800);
    button('BATAL').set(0);
    button('PANGGIL').set(0);
    clock.advance(50);
    button('SESUAI').set(1);
    button('SANGGAH').set(1);
    clock.advance(900);
    button('SESUAI').set(0);
    button('SANGGAH').set(0);
    clock.advance(50);
    t.same(inputs, [
      { kind: 'command', command: 'REPRINT_LAST' },
      { kind: 'command', command: 'DAILY_REPORT' },
    ]);
  });

  t.test('drops a short overlapping press of two buttons and an unknown chord', async (t) => {
    const { clock, inputs, button } = await rig(t);
    button('SESUAI').set(1);
    button('BATAL').set(1);
    clock.advance(200);
    button('SESUAI').set(0);
    button('BATAL').set(0);
    clock.advance(50);
    button('JARI_LAIN').set(1);
    button('SANGGAH').set(1);
    clock.advance(1000);
    button('JARI_LAIN').set(0);
    button('SANGGAH').set(0);
    clock.advance(50);
    t.same(inputs, []);
  });

  t.test('ignores a button already held when the panel opens', async (t) => {
    const root = t.testdir({ export: '', gpiochip512: { label: CHIP, base: '512', ngpio: '58' } });
    const clock = new ManualClock();
    const held = new FakeLine(0, 'button');
    held.level = 1;
    const panel = new GpioPanel({
      buttons: Object.fromEntries(BUTTONS.map((b) => [b, { chip: CHIP, offset: BUTTON_OFFSETS[b] }])) as never,
      leds: Object.fromEntries(LEDS.map((l) => [l, { chip: CHIP, offset: LED_OFFSETS[l] }])) as never,
      debounceMs: 30,
      longPressMs: 800,
      sysfsRoot: root,
      clock,
      logger: silentLogger,
      openLine: (n, mode) => (n === 512 + BUTTON_OFFSETS.PANGGIL ? held : new FakeLine(n, mode)),
    });
    const inputs: PanelInput[] = [];
    panel.on('input', (i) => inputs.push(i));
    await panel.open();
    clock.advance(2000);
    held.set(0);
    clock.advance(50);
    await panel.close();
    t.same(inputs, []);
  });

  t.test('blinks LEDs with at most one timer each, however often patterns change', async (t) => {
    const { panel, clock, led } = await rig(t);
    for (let i = 0; i < 50; i++) {
      panel.setLed('SIAP', (['slow', 'fast', 'pulse'] as const)[i % 3]);
      panel.setLed('GANGGUAN', 'fast');
    }
    t.equal(panel.ledTimers(), 2);
    t.equal(clock.pending(), 2);
    const g = led('GANGGUAN');
    g.writes = [];
    clock.advance(1000);
    t.equal(g.writes.length, 8, 'fast = 4 Hz: 8 toggles a second, not 8 x 50');
    panel.setLed('GANGGUAN', 'on');
    panel.setLed('SIAP', 'off');
    t.equal(clock.pending(), 0);
    t.equal(led('GANGGUAN').level, 1);
    t.equal(led('SIAP').level, 0);
    t.same(panel.leds(), { SIAP: 'off', SIBUK: 'off', TEMPELKAN_JARI: 'off', BERHASIL: 'off', GAGAL: 'off', GANGGUAN: 'on' });
  });

  t.test('slow blink is 1 Hz and pulse is a short flash every 1.5 s', async (t) => {
    const { panel, clock, led } = await rig(t);
    panel.setLed('SIBUK', 'slow');
    panel.setLed('TEMPELKAN_JARI', 'pulse');
    const slow = led('SIBUK');
    const pulse = led('TEMPELKAN_JARI');
    const litAt: Record<string, number[]> = { slow: [], pulse: [] };
    for (let ms = 0; ms < 3000; ms += 10) {
      if (slow.level) litAt.slow.push(ms);
      if (pulse.level) litAt.pulse.push(ms);
      clock.advance(10);
    }
    t.equal(litAt.slow.length, 150, 'lit half the time');
    t.equal(litAt.pulse.length, 24, 'lit 120 ms of every 1500 ms');
  });

  t.test('reports a failing line read as a fault and invents no release', async (t) => {
    const { panel, clock, inputs, button } = await rig(t);
    const faults: string[] = [];
    panel.on('fault', (e) => faults.push(e.code));
    const b = button('SANGGAH');
    b.set(1);
    clock.advance(40);
    b.read = () => {
      throw new Error('EIO');
    };
    b.set(0);
    clock.advance(40);
    t.same(faults, ['GPIO_IO']);
    t.same(inputs, []);
  });

  t.test('says recovered once when every failed line works again, retrying a steady LED by itself', async (t) => {
    const { panel, clock, led, button, inputs } = await rig(t);
    const said: string[] = [];
    panel.on('fault', (e) => said.push(e.code));
    panel.on('recovered', () => said.push('recovered'));
    const eio = () => {
      throw new Error('EIO');
    };
    const gagal = led('GAGAL');
    const write = gagal.write.bind(gagal);
    gagal.write = eio;
    panel.setLed('GAGAL', 'on'); // steady: nothing rewrites it unless the panel retries
    const sesuai = button('SESUAI');
    const read = sesuai.read.bind(sesuai);
    sesuai.read = eio;
    sesuai.set(1);
    clock.advance(40);
    t.same(said, ['GPIO_IO', 'GPIO_IO'], 'two lines at fault');
    clock.advance(5000);
    t.notOk(said.includes('recovered'), 'not while they still fail');
    gagal.write = write;
    clock.advance(1000);
    t.notOk(said.includes('recovered'), 'not while one line still fails');
    t.equal(gagal.level, 1, 'the LED shows its pattern again');
    sesuai.read = read;
    clock.advance(1000);
    t.equal(said.filter((s) => s === 'recovered').length, 1, 'recovered, once');
    t.equal(said.at(-1), 'recovered');
    t.equal(clock.pending(), 0, 'the retry timer is gone');
    t.same(inputs, [], 'a retry read is a probe, not a press');
    clock.advance(10_000);
    t.equal(said.filter((s) => s === 'recovered').length, 1, 'nothing more while all is well');
  });

  t.test('stops every timer and releases every line on close', async (t) => {
    const { panel, clock, lines, button } = await rig(t);
    panel.setLed('GAGAL', 'fast');
    button('SESUAI').set(1);
    await panel.close();
    t.equal(clock.pending(), 0);
    t.ok([...lines.values()].every((l) => l.closed));
  });

  t.test('fails with GPIO_UNAVAILABLE naming what to enable when sysfs GPIO is missing', async (t) => {
    const panel = new GpioPanel({
      buttons: {} as never,
      leds: {} as never,
      debounceMs: 30,
      longPressMs: 800,
      sysfsRoot: t.testdir({}) + '/gpio',
      logger: silentLogger,
      openLine: () => {
        throw new Error('must not export anything');
      },
    });
    await t.rejects(panel.open(), { code: 'GPIO_UNAVAILABLE', message: /CONFIG_GPIO_SYSFS/ });
  });

  t.test('fails with GPIO_LINE_NOT_FOUND before exporting any line when a chip label is wrong', async (t) => {
    const root = t.testdir({ export: '', gpiochip512: { label: 'pinctrl-rp1', base: '512', ngpio: '54' } });
    let exported = 0;
    const panel = new GpioPanel({
      buttons: Object.fromEntries(BUTTONS.map((b) => [b, { chip: CHIP, offset: BUTTON_OFFSETS[b] }])) as never,
      leds: Object.fromEntries(LEDS.map((l) => [l, { chip: CHIP, offset: LED_OFFSETS[l] }])) as never,
      debounceMs: 30,
      longPressMs: 800,
      sysfsRoot: root,
      logger: silentLogger,
      openLine: (n, mode) => {
        exported++;
        return new FakeLine(n, mode);
      },
    });
    await t.rejects(panel.open(), { code: 'GPIO_LINE_NOT_FOUND', message: /pinctrl-rp1/ });
    t.equal(exported, 0);
  });
});

t.test('GpioPanel case-intrusion switch', async (t) => {
  const CASE = 17;
  async function caseRig(t: Pick<typeof import('tap').t, 'testdir' | 'teardown'>, shutAtOpen: boolean) {
    const root = t.testdir({ export: '', unexport: '', gpiochip512: { label: `${CHIP}\n`, base: '512\n', ngpio: '58\n' } });
    const clock = new ManualClock();
    const lines = new Map<number, FakeLine>();
    const panel = new GpioPanel({
      buttons: Object.fromEntries(BUTTONS.map((b) => [b, { chip: CHIP, offset: BUTTON_OFFSETS[b] }])) as never,
      leds: Object.fromEntries(LEDS.map((l) => [l, { chip: CHIP, offset: LED_OFFSETS[l] }])) as never,
      caseSwitch: { chip: CHIP, offset: CASE },
      debounceMs: 30,
      longPressMs: 800,
      sysfsRoot: root,
      clock,
      logger: silentLogger,
      openLine: (n, mode) => {
        const line = new FakeLine(n, mode);
        // The closed lid holds the switch down: the line reads 1 (active low, like a button).
        if (n === 512 + CASE && shutAtOpen) line.level = 1;
        lines.set(n, line);
        return line;
      },
    });
    const changes: boolean[] = [];
    panel.on('case', (open) => changes.push(open));
    await panel.open();
    t.teardown(() => panel.close());
    return { panel, clock, changes, line: lines.get(512 + CASE)! };
  }

  t.test('opens the line as an input, reports open and shut once each, debounced', async (t) => {
    const { panel, clock, changes, line } = await caseRig(t, true);
    t.equal(line.mode, 'button');
    t.equal(panel.caseOpen(), false);
    line.set(0);
    line.set(1); // the lid rattles
    line.set(0);
    clock.advance(40);
    t.same(changes, [true], 'one change for a bouncing lid');
    t.equal(panel.caseOpen(), true);
    line.set(1);
    clock.advance(40);
    t.same(changes, [true, false]);
    t.equal(panel.caseOpen(), false);
    await panel.close();
    t.ok(line.closed, 'released on close');
  });

  t.test('a switch open at start (or its wire cut) reads open', async (t) => {
    const { panel, changes } = await caseRig(t, false);
    t.equal(panel.caseOpen(), true);
    t.same(changes, [], 'a state, not a change: the agent asks caseOpen() when it starts');
  });

  t.test('without a case switch there is nothing to say', async (t) => {
    const { panel } = await rig(t);
    t.equal(panel.caseOpen(), null);
  });
});
