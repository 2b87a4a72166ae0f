import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeSync, closeSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { silentLogger } from '../../../drivers/logger.ts';
import { EvdevKeypad, encodeInputEvent, inputEventSize } from '../../../drivers/keypad/evdev.ts';
import { createKeypad, parseKeypadConfig } from '../../../drivers/keypad/factory.ts';
import { EV_KEY, KEY, keypadCode } from '../../../drivers/keypad/keymap.ts';
import { SimKeypad } from '../../../drivers/keypad/sim.ts';

const EV_SYN = 0;
const EV_MSC = 4;

/** What the kernel writes for one key stroke: MSC_SCAN, press, SYN, release, SYN. */
function stroke(code: number, size: 16 | 24): Buffer {
  return Buffer.concat([
    encodeInputEvent(EV_MSC, 4, 0x70059, size),
    encodeInputEvent(EV_KEY, code, 1, size),
    encodeInputEvent(EV_SYN, 0, 0, size),
    encodeInputEvent(EV_KEY, code, 0, size),
    encodeInputEvent(EV_SYN, 0, 0, size),
  ]);
}

function typed(text: string, size: 16 | 24): Buffer {
  return Buffer.concat([...text].map((ch) => stroke(keypadCode(ch), size)));
}

t.test('input_event is 24 bytes on 64-bit userland, 16 on 32-bit', async (t) => {
  t.equal(inputEventSize('arm64'), 24);
  t.equal(inputEventSize('x64'), 24);
  t.equal(inputEventSize('arm'), 16);
});

for (const size of [24, 16] as const) {
  t.test(`the evdev reader turns ${size}-byte input_event structs from a FIFO into entries`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-keypad-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const fifo = join(dir, 'event0');
    execFileSync('mkfifo', [fifo]);
    const keypad = new EvdevKeypad({ path: fifo, logger: silentLogger, eventSize: size });
    // O_RDWR: opening a FIFO for writing alone would block this thread until the reader opens.
    const fd = openSync(fifo, 'r+');
    await keypad.open();
    t.teardown(() => keypad.close());
    const entries: string[] = [];
    const lengths: number[] = [];
    keypad.on('entry', (e) => entries.push(e));
    keypad.on('typing', (n) => lengths.push(n));

    // A NIK, a typo corrected with Backspace, a held key (repeat events type nothing more),
    // and a struct split across two writes.
    const nik = typed('3273014107900001', size);
    writeSync(fd, nik.subarray(0, 37));
    await new Promise((r) => setTimeout(r, 30));
    writeSync(fd, Buffer.concat([nik.subarray(37), stroke(KEY.KP9, size), stroke(KEY.BACKSPACE, size), encodeInputEvent(EV_KEY, KEY.KP5, 2, size), stroke(KEY.KPENTER, size)]));
    // A police report number with slashes and dashes, submitted with the main Enter key.
    writeSync(fd, Buffer.concat([typed('123/12-2026', size), stroke(KEY.ENTER, size)]));
    // Esc clears a half-typed entry; Enter on an empty buffer submits nothing.
    writeSync(fd, Buffer.concat([typed('99', size), stroke(KEY.ESC, size), stroke(KEY.KPENTER, size)]));
    const deadline = Date.now() + 3000;
    while (entries.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    t.same(entries, ['3273014107900001', '123/12-2026']);
    t.equal(lengths.at(-1), 0, 'Esc cleared the buffer');
    closeSync(fd);
  });
}

t.test('a missing device is KEYPAD_ABSENT', async (t) => {
  await t.rejects(new EvdevKeypad({ path: '/dev/input/no-such-event', logger: silentLogger }).open(), { code: 'KEYPAD_ABSENT' });
});

t.test('a keypad that fails is reopened: one fault, then recovered, and it types again', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-keypad-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The by-id link, first pointing at something that opens but does not read (a directory: EISDIR,
  // as a pulled keypad's descriptor fails), then at a working node, as udev relinks a replug.
  const link = join(dir, 'usb-keypad-event-kbd');
  mkdirSync(join(dir, 'gone'));
  symlinkSync(join(dir, 'gone'), link);
  const keypad = new EvdevKeypad({ path: link, logger: silentLogger, pollMs: 10, reopenMs: 50 });
  await keypad.open();
  t.teardown(() => keypad.close());
  const seen: string[] = [];
  keypad.on('fault', (e) => seen.push(`fault:${e.code}`));
  keypad.on('recovered', () => seen.push('recovered'));
  keypad.on('entry', (e) => seen.push(`entry:${e}`));
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    t.ok(ok(), what);
  };
  await until('the fault', () => seen.length > 0);
  await new Promise((r) => setTimeout(r, 200)); // several reopen attempts on the same dead node
  t.same(seen, ['fault:KEYPAD_IO'], 'one fault while it lasts');
  t.match(keypad.health(), { state: 'error', lastError: 'KEYPAD_IO' });

  const fifo = join(dir, 'event7');
  execFileSync('mkfifo', [fifo]);
  const fd = openSync(fifo, 'r+');
  t.teardown(() => closeSync(fd));
  rmSync(link);
  symlinkSync(fifo, link);
  await until('recovered', () => seen.includes('recovered'));
  t.match(keypad.health(), { state: 'ok', lastError: null });
  writeSync(fd, Buffer.concat([typed('42', inputEventSize()), stroke(KEY.KPENTER, inputEventSize())]));
  await until('the entry', () => seen.includes('entry:42'));
  t.same(seen, ['fault:KEYPAD_IO', 'recovered', 'entry:42']);
});

t.test('an entry longer than any NIK or report number is cleared with a fault', async (t) => {
  const k = new SimKeypad();
  await k.open();
  const faults: string[] = [];
  const entries: string[] = [];
  k.on('fault', (e) => faults.push(e.code));
  k.on('entry', (e) => entries.push(e));
  k.type('1'.repeat(41));
  k.type('42');
  k.enter();
  t.same(faults, ['KEYPAD_OVERFLOW']);
  t.same(entries, ['42']);
});

t.test('factory: explicit drivers, bad config listed', async (t) => {
  t.ok((await createKeypad({ driver: 'sim' }, silentLogger)) instanceof SimKeypad);
  t.throws(() => parseKeypadConfig({ driver: 'hid' }), { code: 'KEYPAD_CONFIG' });
  t.throws(() => parseKeypadConfig({ driver: 'evdev', path: 'event3' }), { code: 'KEYPAD_CONFIG' });
});
