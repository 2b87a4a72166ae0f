import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseConfig } from '../../../agent/config/load.ts';
import { IntakeDesk } from '../../../agent/intake/desk.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { PrintQueue } from '../../../agent/printing/printQueue.ts';
import { SlipBuilder } from '../../../agent/transaction/slipBuilder.ts';
import { EvdevKeypad, encodeInputEvent } from '../../../drivers/keypad/evdev.ts';
import { EV_KEY, KEY, keypadCode } from '../../../drivers/keypad/keymap.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import { SimPrinter } from '../../../drivers/printer/sim.ts';
import { SerialScanner } from '../../../drivers/scanner/serial.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';
import { openPtyPair } from '../../helpers/ptyPair.ts';

const until = async (pred: () => boolean, what: string, ms = 3000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The intake desk on its real input paths: scans through a pty to the serialport driver, keys through a FIFO to the evdev reader. */
t.test('intake desk: roster checks, letter confirmation, lost old KTP, queue ticket', async (t) => {
  const { ledger, residents, db } = ledgerWithRoster(4);
  const config = parseConfig({ counter: { id: 'meja-1', label: 'MEJA PENDAFTARAN' } });
  const printer = new SimPrinter({ columns: 32 });
  await printer.open();
  const prints = new PrintQueue({ db, printer, logger: silentLogger, now: () => new Date() });
  const panel = new SimPanel();
  await panel.open();

  const pty = await openPtyPair();
  t.teardown(() => pty.stop());
  const scanner = new SerialScanner({ path: pty.device, baudRate: 9600, logger: silentLogger });
  await scanner.open();
  t.teardown(() => scanner.close());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-intake-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'event-kbd');
  execFileSync('mkfifo', [fifo]);
  const keyFd = openSync(fifo, 'r+');
  const keypad = new EvdevKeypad({ path: fifo, logger: silentLogger });
  await keypad.open();
  t.teardown(async () => {
    closeSync(keyFd);
    await keypad.close();
  });

  const desk = new IntakeDesk({ config, ledger, prints, slips: new SlipBuilder(config), panel, scanner, keypad, logger: silentLogger, now: () => new Date() });
  desk.start();
  t.teardown(() => desk.stop());
  const notices: string[] = [];
  desk.on('notice', (c) => notices.push(c));
  const scan = (s: string) => {
    const fd = openSync(pty.peer, 'w');
    writeSync(fd, `${s}\r\n`);
    closeSync(fd);
  };
  const key = (text: string) =>
    writeSync(keyFd, Buffer.concat([...text].flatMap((ch) => [encodeInputEvent(EV_KEY, keypadCode(ch), 1), encodeInputEvent(EV_KEY, keypadCode(ch), 0)]).concat(encodeInputEvent(EV_KEY, KEY.KPENTER, 1))));
  const tickets = () => (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
  const items = () => (db.prepare("SELECT COUNT(*) AS n FROM items WHERE kind <> 'ektp'").get() as { n: number }).n;
  const slipKinds = () => printer.sheets.map((s) => s.kind);

  t.test('an unknown letter and an unknown NIK are refused with a printed code; nothing is recorded', async (t) => {
    scan('SP/999999/2026/99999');
    await until(() => notices.includes('LETTER_UNKNOWN'), 'LETTER_UNKNOWN');
    key('3273010000000000');
    await until(() => notices.includes('NIK_UNKNOWN'), 'NIK_UNKNOWN');
    await until(() => printer.sheets.length === 2, 'two refusal slips');
    t.same(slipKinds(), ['intake_refusal', 'intake_refusal']);
    t.match(printer.sheets[1].lines.join('\n'), /Kode: NIK_UNKNOWN/);
    t.equal(panel.led('GAGAL'), 'fast');
    t.equal(tickets(), 0);
    t.equal(items(), 0);
    t.equal(desk.current().name, 'IDLE');
  });

  t.test('a scanned letter waits for SESUAI (signed and stamped), then the ticket prints', async (t) => {
    scan(residents[0].letterNo);
    await until(() => desk.current().name === 'CONFIRM_LETTER', 'confirm state');
    t.equal(panel.led('SIBUK'), 'pulse');
    t.equal(tickets(), 0, 'nothing recorded before the officer confirms');
    panel.press('SESUAI');
    await until(() => slipKinds().at(-1) === 'queue_ticket', 'queue ticket');
    t.equal(tickets(), 1);
    t.equal(ledger.itemState('old_ktp', residents[0].letterNo), 'held');
    t.equal(ledger.itemState('letter', residents[0].letterNo), 'held');
    t.match(printer.sheets.at(-1)!.lines.join('\n'), /A\s+-\s+0\s+0\s+1/, 'ticket A-001 in triple size');
  });

  t.test('the same resident again is ALREADY_QUEUED; BATAL drops a check in progress', async (t) => {
    scan(residents[0].letterNo);
    await until(() => notices.includes('ALREADY_QUEUED'), 'ALREADY_QUEUED');
    key(residents[1].biodata.nik);
    await until(() => desk.current().name === 'CONFIRM_LETTER', 'confirm');
    panel.press('BATAL');
    t.equal(desk.current().name, 'IDLE');
    t.equal(tickets(), 1);
  });

  t.test('KTP lama hilang: SANGGAH, then the police report number on the keypad', async (t) => {
    key(residents[1].biodata.nik);
    await until(() => desk.current().name === 'CONFIRM_LETTER', 'confirm');
    panel.press('SANGGAH');
    t.equal(desk.current().name, 'LOSS_REPORT');
    key('1');
    await until(() => notices.includes('LOSS_REPORT_INVALID'), 'too short a report number refused');
    key('123/12-2026');
    await until(() => tickets() === 2, 'second ticket');
    t.equal(ledger.itemState('old_ktp', residents[1].letterNo), null, 'no old KTP came into custody');
    t.equal(ledger.oldKtpLossReport((db.prepare('SELECT MAX(id) AS id FROM tickets').get() as { id: number }).id), '123/12-2026');
    t.ok(reconcile(db).ok, 'the ledger balances with a lost old KTP');
  });

  t.test('an e-KTP already handed over is refused', async (t) => {
    ledger.move('ektp', residents[2].cardUid, 'issued', null, 'test');
    scan(residents[2].letterNo);
    await until(() => notices.includes('ALREADY_ISSUED'), 'ALREADY_ISSUED');
    t.equal(tickets(), 2);
  });
});
