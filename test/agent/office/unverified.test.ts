/**
 * "Belum dapat diverifikasi" (outcome tertunda) on a ticket of the office queue: the intake desk
 * and a counter on a real mosquitto, the fingerprint sensor unplugged while the resident
 * verifies. The ticket ends served (the visit is over, no verdict), the e-KTP goes back to the
 * office's card store at the desk (on hand, never retained for destruction), the letter and the
 * old KTP go as `verification.unverifiedDocuments` says, the office reconciles, and the resident
 * can queue again and be served on a later visit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { officeReport } from '../../../agent/office/report.ts';
import { laporanHarian } from '../../../agent/reports/laporanHarian.ts';
import type { TxState, TxStateName } from '../../../agent/transaction/states.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import type { SimPanel } from '../../../drivers/panel/sim.ts';
import type { SimPrinter } from '../../../drivers/printer/sim.ts';
import type { SimScanner } from '../../../drivers/scanner/sim.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { DESK, openSimOffice } from '../../harness/office.ts';
import { waitForState } from '../../harness/runnerWaits.ts';

const until = async (pred: () => boolean, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function unverifiedAtOfficeCounter(t: Test, documents: 'return' | 'hold'): Promise<void> {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-unverified-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // One office setting, on every box: the desk keeps or gives back what the counter says.
  const office = await openSimOffice({
    residents: 3,
    seed: 31,
    counters: 1,
    dir,
    brokerUrl: broker.url,
    logger: silentLogger,
    configFor: () => ({ verification: { maxDeviceFaults: 1, unverifiedDocuments: documents } }),
  });
  t.teardown(() => office.close());
  const c = office.counters[0];
  const runner = c.counter.runner;
  const wait = (names: TxStateName[]): Promise<TxState> => waitForState(runner, names, 30_000, 'office unverified');
  await until(() => c.counter.office!.connected, 'counter connected');
  const p = c.played[0];
  const desk = office.intake.ledger;
  const resident = desk.residentByLetter(p.resident.letterNo)!;
  const deskTickets = () => {
    const l = office.ledgers();
    try {
      const db = l.boxes.find((b) => b.device === DESK)!.db;
      return (db.prepare('SELECT state FROM tickets WHERE resident_id = ? ORDER BY id').all(resident.id) as { state: string }[]).map((r) => r.state);
    } finally {
      l.close();
    }
  };

  t.equal(await office.intakeAll([p.resident.letterNo]), 1);
  c.devices.panel.press('PANGGIL');
  await wait(['CALLED']);
  await c.devices.card.insertCard(p.card);
  await wait(['DATA_CHECK']);
  c.devices.panel.press('SESUAI');
  await wait(['VERIFY_FINGER']);
  c.devices.sensor.unplug();
  const s = await wait(['UNVERIFIED', 'RETURN_DOCS', 'HANDOVER']);
  t.equal(s.name, 'UNVERIFIED', 'a device fault is not a verdict');
  t.equal(c.devices.panel.leds().GAGAL, 'off', 'no GAGAL light');
  c.devices.panel.press('SESUAI');
  await wait(['IDLE']);
  await c.devices.card.removeCard();
  c.devices.sensor.replug();
  await until(() => c.counter.office!.journalDepth() === 0, 'the close acknowledged by the desk');

  const [tx] = c.counter.ledger.transactionOutcomes();
  t.match(tx, { outcome: 'tertunda', reason: 'device_fault' }, "the counter's ledger: tertunda, device_fault");
  t.equal(p.scenario, 'berhasil_first_try', 'the resident would pass on a working sensor');
  t.same(deskTickets(), ['served'], "the desk's ticket: the visit is over, nothing waits or is leased");
  t.equal(desk.itemState('ektp', resident.cardUid), 'on_hand', 'the e-KTP is back in the card store at the desk');
  t.equal(c.counter.ledger.itemState('ektp', resident.cardUid), 'sent', "the counter's ledger sent it back");
  if (documents === 'return') {
    // The old KTP is in the desk's drawer, not in the resident's hand: owed, not yet returned.
    t.equal(desk.itemState('old_ktp', resident.letterNo), 'awaiting_return', 'the old KTP waits at the desk for its owner');
    t.equal(c.counter.ledger.itemState('letter', resident.letterNo), 'returned', 'the letter goes back to the resident');
  } else {
    t.equal(desk.itemState('old_ktp', resident.letterNo), 'held', 'the old KTP stays held at the desk');
    t.equal(desk.itemState('letter', resident.letterNo), 'held', 'the letter is back, held at the desk');
  }
  {
    const ledgers = office.ledgers();
    const r = officeReport(ledgers.boxes, DESK);
    ledgers.close();
    t.same(r.withoutHolder, [], 'no item without a holder');
    t.same(r.withTwoHolders, [], 'no item with two holders');
    t.same(r.unacknowledged, []);
    t.same(r.tickets.leasedButNotOpen, []);
    t.ok(r.ok, 'report office balances');
  }
  // Each box's own daily report reconciles too: the counter received one e-KTP (from the desk,
  // not the roster's count), the desk's card store has every e-KTP of the roster.
  for (const [box, ledger, config] of [
    [DESK, desk, office.deskConfig],
    ['loket-1', c.counter.ledger, c.config],
  ] as const) {
    const l = laporanHarian(ledger, config);
    t.ok(l.rekonsiliasi.seimbang, `${box}: report daily balances`, { problems: l.rekonsiliasi.masalah });
    t.notOk(JSON.stringify(l.rekonsiliasi.barang).includes('"sent"'), `${box}: every custody state has its Bahasa label`);
  }
  t.equal(laporanHarian(c.counter.ledger, c.config).rekonsiliasi.barang['KTP-el'].masuk, 1, 'the counter took one e-KTP into custody');

  if (documents === 'return') {
    // The resident walks back to the desk: the officer scans the letter as for intake.
    const deskPanel = office.intake.devices.panel as SimPanel;
    const printer = office.intake.devices.printer as SimPrinter;
    const notices: string[] = [];
    office.intake.desk.on('notice', (n) => notices.push(n));
    const sheets = printer.sheets.length;
    (office.intake.devices.scanner as SimScanner).scan(p.resident.letterNo);
    await until(() => office.intake.desk.current().name === 'HANDBACK', 'the desk recognises the handback');
    t.ok(notices.includes('OLD_KTP_HANDBACK'), 'KEMBALIKAN KTP LAMA, not ALREADY_QUEUED or a second ticket');
    t.equal(deskPanel.leds().BERHASIL, 'slow', 'the desk lights the handback');
    t.equal(desk.itemState('old_ktp', resident.letterNo), 'awaiting_return', 'nothing recorded before SESUAI');
    deskPanel.press('SESUAI');
    t.equal(desk.itemState('old_ktp', resident.letterNo), 'returned', 'returned once handed back');
    await until(() => printer.sheets.length > sheets, 'the handback slip');
    t.equal(printer.sheets.at(-1)!.kind, 'old_ktp_handback');
    t.match(printer.sheets.at(-1)!.lines.join('\n'), /PENGEMBALIAN KTP LAMA[\s\S]*Belum dapat\s+diverifikasi/);
    t.equal(office.intake.desk.current().name, 'IDLE');
  }
  // The later visit: the same letter queues again and the resident is served.
  t.equal(await office.intakeAll([p.resident.letterNo]), 1, 'the resident can queue again');
  const { served } = await office.serveUntilEmpty(0);
  t.equal(served, 1, 'and is served on the second visit');
  await until(() => c.counter.office!.journalDepth() === 0, 'the second close acknowledged');
  t.equal(c.counter.ledger.itemState('ektp', resident.cardUid), 'issued', 'the e-KTP handed over on the later visit');
  t.equal(desk.itemState('old_ktp', resident.letterNo), 'kept', 'the old KTP kept at the desk after berhasil');
  t.same(deskTickets(), ['served', 'served'], 'two visits, two tickets, both ended');
  const ledgers = office.ledgers();
  t.teardown(() => ledgers.close());
  const r = officeReport(ledgers.boxes, DESK);
  t.same(r.withTwoHolders, []);
  t.same(r.withoutHolder, []);
  t.same(r.tickets.servedTwice, []);
  t.ok(r.ok, 'report office balances after the later visit');
}

t.test('unverified at an office counter, documents returned to the resident', (t) => unverifiedAtOfficeCounter(t, 'return'));
t.test('unverified at an office counter, documents held at the desk', (t) => unverifiedAtOfficeCounter(t, 'hold'));
