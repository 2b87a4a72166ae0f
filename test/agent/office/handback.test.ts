/**
 * The old KTP after a verdict at a counter (SOP steps 3, 14): it never left the intake desk's
 * drawer, so the desk's ledger records it owed (`awaiting_return`), not `returned`, until the
 * resident walks back and the support officer hands it over at the desk (the same scan or NIK as
 * intake: KEMBALIKAN KTP LAMA, SESUAI, a signed handback slip). Old KTPs nobody came for are
 * listed by `report office` and settled by close-day. And a supervisor finding a counter's late
 * verdict true (`office settle --true counter`) applies it, the old KTP owed back the same way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import t from 'tap';
import { closeDay } from '../../../agent/ledger/dayClose.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { officeReport } from '../../../agent/office/report.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import type { SimPanel } from '../../../drivers/panel/sim.ts';
import type { SimPrinter } from '../../../drivers/printer/sim.ts';
import { cli } from '../../helpers/cli.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { DESK, OFFICE_SITE, officeConfig, openSimOffice } from '../../harness/office.ts';
import { query } from '../../helpers/ledgerFile.ts';

const until = async (pred: () => boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

function reconcileFile(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return reconcile(db);
  } finally {
    db.close();
  }
}

t.test('gagal and cancelled at a counter: the old KTP is owed at the desk until handed back there', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-handback-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({ residents: 8, seed: 51, counters: 1, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  const c = office.counters[0];
  await until(() => c.counter.office!.connected, 'counter connected');
  const g = c.played.find((p) => p.scenario === 'gagal_fingerprint')!;
  const x = c.played.find((p) => p.scenario === 'cancelled')!;
  const desk = office.intake.ledger;
  const deskFile = join(dir, DESK, 'ledger.sqlite');
  t.equal(await office.intakeAll([g.resident.letterNo, x.resident.letterNo]), 2);
  const { served } = await office.serveUntilEmpty(0);
  t.equal(served, 2);
  await until(() => c.counter.office!.journalDepth() === 0, 'both closes acknowledged');
  t.match(c.counter.ledger.transactionOutcomes().map((o) => o.outcome), ['gagal', 'batal']);
  for (const p of [g, x]) {
    t.equal(desk.itemState('old_ktp', p.resident.letterNo), 'awaiting_return', `${p.scenario}: owed at the desk, not "returned" on the counter's word`);
  }
  t.ok(reconcileFile(deskFile).ok, "the desk's own ledger balances");
  {
    const l = office.ledgers();
    const r = officeReport(l.boxes, DESK);
    l.close();
    t.equal(r.oldKtpsAwaitingReturn.length, 2, 'report office lists both');
    t.same(r.withoutHolder, []);
    t.same(r.withTwoHolders, []);
    t.ok(r.ok, 'held by the desk: the office balances');
  }

  // The gagal resident comes back; the officer keys the NIK on the desk's keypad.
  const panel = office.intake.devices.panel as SimPanel;
  const printer = office.intake.devices.printer as SimPrinter;
  const notices: string[] = [];
  office.intake.desk.on('notice', (n) => notices.push(n));
  office.intake.desk.text(g.resident.biodata.nik, 'keypad');
  t.equal(office.intake.desk.current().name, 'HANDBACK', 'recognised: not ALREADY_ISSUED (the e-KTP is retained)');
  t.same(notices, ['OLD_KTP_HANDBACK']);
  t.equal(panel.leds().BERHASIL, 'slow');
  panel.press('BATAL');
  t.equal(desk.itemState('old_ktp', g.resident.letterNo), 'awaiting_return', 'BATAL records nothing');
  office.intake.desk.text(g.resident.letterNo, 'scanner');
  const sheets = printer.sheets.length;
  panel.press('SESUAI');
  t.equal(desk.itemState('old_ktp', g.resident.letterNo), 'returned', 'returned when it is handed back');
  t.ok(notices.includes('OLD_KTP_RETURNED'));
  await until(() => printer.sheets.length > sheets, 'the handback slip');
  const slip = printer.sheets.at(-1)!;
  t.equal(slip.kind, 'old_ktp_handback');
  t.match(slip.lines.join('\n'), /PENGEMBALIAN KTP LAMA[\s\S]*Hasil GAGAL di loket[\s\S]*Yang Menerima/);
  t.notMatch(slip.lines.join('\n'), new RegExp(g.resident.biodata.nik), 'NIK masked');
  t.same(query(deskFile, "SELECT json_extract(data, '$.why') AS why FROM audit WHERE action = 'old_ktp_handback'"), [{ why: 'counter_gagal' }]);
  office.intake.desk.text(g.resident.letterNo, 'scanner');
  t.equal(notices.at(-1), 'ALREADY_ISSUED', 'handed back once: the next scan is the ordinary refusal');

  // The cancelled resident never comes back: listed, then settled by close-day.
  const report = cli(['report', 'office', '--authority', DESK, '--box', `${DESK}=${deskFile}`, '--box', `loket-1=${join(dir, 'loket-1', 'ledger.sqlite')}`]);
  t.equal(report.status, 0, report.stdout);
  t.match(report.stdout, /AWAITING RETURN: old KTP of ticket \d{4}-\d{2}-\d{2}\/A-002/);
  t.notMatch(report.stdout, /A-001 since/);
  const closed = closeDay(desk, { counted: desk.itemCount('ektp', 'on_hand'), documents: 'kept', operator: 'PETUGAS-01' });
  t.same(closed.oldKtpsAwaitingReturn, ['A-002']);
  t.equal(desk.itemState('old_ktp', x.resident.letterNo), 'kept');
  const l = office.ledgers();
  t.teardown(() => l.close());
  const r = officeReport(l.boxes, DESK);
  t.same(r.oldKtpsAwaitingReturn, []);
  t.ok(r.ok, 'the office balances after close-day');
});

t.test("a supervisor finds a counter's late gagal true: applied at the desk, the old KTP owed back", async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-settle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({ residents: 3, seed: 52, counters: 0, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  const deskFile = join(dir, DESK, 'ledger.sqlite');
  const configFile = join(dir, `${DESK}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({ version: 1, dataDir: join(dir, DESK), role: 'intake', site: { id: OFFICE_SITE }, counter: { id: DESK, label: 'MEJA PENDAFTARAN' }, office: officeConfig(broker.url) }),
  );
  const office$ = (...args: string[]) => cli(['office', ...args, '--config', configFile]);
  const desk = office.intake.ledger;
  const first = desk.residentById(1);
  t.equal(await office.intakeAll([first.letterNo]), 1);
  // loket-9 claims A-001 and dies with it; the officer releases the lease.
  const grant = office.intake.authority!.claim({ claimId: 'claim-9', counter: 'loket-9' });
  t.match(grant, { status: 'granted', ticket: { number: 'A-001' } });
  const released = office$('release', '--ticket', 'A-001', '--confirm-retrieved');
  t.equal(released.status, 0, released.stderr);
  // It comes back and reports gagal, the e-KTP retained for destruction: a conflict.
  const probe = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  t.teardown(() => probe.endAsync(true));
  // Sent as a counter's journal is: again until applied (the desk may still be connecting); applied once.
  const close = JSON.stringify({ kind: 'journal', from: 'loket-9', bootId: 'b9', seq: 1, body: { type: 'close', claimId: 'claim-9', outcome: 'gagal', returns: [{ kind: 'ektp', state: 'retained' }] } });
  const resend = setInterval(() => void probe.publishAsync(`ektp/v1/${OFFICE_SITE}/office/to/${DESK}`, close, { qos: 1 }), 300);
  t.teardown(() => clearInterval(resend));
  await until(() => query(deskFile, 'SELECT 1 FROM office_conflicts').length === 1, 'the conflict recorded');
  clearInterval(resend);
  t.equal(desk.itemState('old_ktp', first.letterNo), 'held', 'not applied before the supervisor decides');

  const ok = office$('settle', '--conflict', '1', '--true', 'counter', '--note', 'operator loket-9 menolak sidik jari sebelum mati (tes)');
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /laporan gagal dari loket-9 diterapkan/);
  t.same(query(deskFile, "SELECT state FROM tickets WHERE number = 'A-001'"), [{ state: 'served' }]);
  t.equal(desk.itemState('ektp', first.cardUid), 'retained', 'the e-KTP came back retained');
  t.equal(desk.itemState('letter', first.letterNo), 'sent', 'the letter stayed with loket-9 (given back to the resident there)');
  t.equal(desk.itemState('old_ktp', first.letterNo), 'awaiting_return', 'the old KTP is owed back at the desk');
  t.equal(office$('settle', '--conflict', '1', '--true', 'desk', '--note', 'berubah pikiran').status, 1, 'settled once');
  t.equal(query(deskFile, "SELECT 1 FROM audit WHERE action = 'office_conflict_settled'").length, 1);
  const r = reconcileFile(deskFile);
  t.ok(r.ok, r.problems.join('; '));
});
