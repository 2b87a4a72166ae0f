import t from 'tap';

/** Records how the adapter drives onoff; sysfs itself is only reachable on a board (test/hil). */
class FakeGpio {
  static made: FakeGpio[] = [];
  value: 0 | 1 = 0;
  watcher: ((err: Error | null | undefined, value: 0 | 1) => void) | null = null;
  unexported = false;
  constructor(
    readonly gpio: number,
    readonly direction: string,
    readonly edge?: string,
    readonly options?: { activeLow?: boolean },
  ) {
    if (gpio === 666) throw new Error('EBUSY: resource busy');
    FakeGpio.made.push(this);
  }
  readSync(): 0 | 1 {
    return this.value;
  }
  writeSync(v: 0 | 1): void {
    this.value = v;
  }
  watch(cb: (err: Error | null | undefined, value: 0 | 1) => void): void {
    this.watcher = cb;
  }
  unexport(): void {
    this.unexported = true;
  }
}

t.test('openOnoffLine', async (t) => {
  const { openOnoffLine } = await t.mockImport<typeof import('../../../drivers/panel/onoffAdapter.ts')>(
    '../../../drivers/panel/onoffAdapter.ts',
    { onoff: { Gpio: FakeGpio } },
  );

  t.test('opens a button as an active-low input watching both edges', async (t) => {
    const line = openOnoffLine(529, 'button');
    const g = FakeGpio.made.at(-1) as FakeGpio;
    t.match(g, { gpio: 529, direction: 'in', edge: 'both', options: { activeLow: true } });
    let edges = 0;
    const errors: Error[] = [];
    line.watch(() => edges++, (e) => errors.push(e));
    g.watcher?.(null, 1);
    g.watcher?.(new Error('EIO'), 0);
    t.equal(edges, 1);
    t.match(errors, [{ code: 'GPIO_IO' }]);
    g.value = 1;
    t.equal(line.read(), 1);
  });

  t.test('opens an LED as an output and turns it off before releasing it', async (t) => {
    const line = openOnoffLine(536, 'led');
    const g = FakeGpio.made.at(-1) as FakeGpio;
    t.match(g, { gpio: 536, direction: 'out' });
    line.write(1);
    t.equal(g.value, 1);
    line.close();
    t.equal(g.value, 0);
    t.ok(g.unexported);
  });

  t.test('reports a line it cannot export as GPIO_IO', async (t) => {
    t.throws(() => openOnoffLine(666, 'button'), { code: 'GPIO_IO', message: /EBUSY/ });
  });
});
