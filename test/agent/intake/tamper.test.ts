/**
 * The intake desk re-checks its sealed ledger while running, as the counter does
 * (test/agent/trust/tamper.test.ts): the ledger file edited by another sqlite client under the
 * running desk stops it issuing tickets (LEDGER_TAMPERED on its LEDs and printed refusal), lights
 * GANGGUAN, and sends one `tamper` event through the desk's status outbox. Nor does it hand an
 * old KTP back onto such a ledger: the handback would write the custody event that makes an
 * edited item state look legitimate (verify-ledger checks each item's state against its last
 * event), so the desk re-checks first, refuses with OLD_KTP_HANDBACK_HELD and prints why.
 */
import t, { type Test } from 'tap';
import { openSimDesk } from '../../harness/simDesk.ts';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadChainKey } from '../../../agent/ledger/chainKey.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import type { SimPrinter } from '../../../drivers/printer/sim.ts';
import { alertsFrom, findPersonalData } from '../../../agent/status/payloads.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import type { SimPanel } from '../../../drivers/panel/sim.ts';
import type { SimScanner } from '../../../drivers/scanner/sim.ts';
import { sleep, waitFor } from '../../helpers/waits.ts';
import { foreignSql, query } from '../../helpers/ledgerFile.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { DESK, openSimOffice } from '../../harness/office.ts';

t.test('the desk ledger edited under the running desk: no more tickets, GANGGUAN, one tamper event', async (t) => {
  const { intake, residents, file } = await openSimDesk({ dir: t.testdir(), seed: 14, residents: 4, recheckIntervalS: 1, teardown: (fn) => t.teardown(fn) });
  const scanner = intake.devices.scanner as SimScanner;
  const panel = intake.devices.panel as SimPanel;
  const notices: string[] = [];
  intake.desk.on('notice', (c) => notices.push(c));
  const tamper = () => intake.status.outbox.peek(1000).filter((r) => r.payload.type === 'tamper').map((r) => r.payload);
  const tickets = () => intake.ledger.waitingCount();

  scanner.scan(residents[0].letterNo);
  panel.press('SESUAI');
  t.equal(tickets(), 1, 'a ticket on a clean ledger');
  t.match(intake.recheckLedger('test'), { ok: true, kind: 'chain' }, "the desk's own writes re-verify cheaply");
  t.same(tamper(), []);

  // Resident 1's e-KTP "handed over" by another program: no custody event, no audit row.
  foreignSql(file, `UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND ref = '${residents[1].cardUid}'`);
  await waitFor('the timer re-check to send tamper', () => tamper().length === 1);
  t.match(tamper()[0], { type: 'tamper', result: 'fault', code: 'LEDGER_TAMPERED', reason: null });
  t.equal(findPersonalData(JSON.stringify(tamper()[0])), null, 'no NIK or name in the event');
  t.equal(panel.leds().GANGGUAN, 'fast', 'GANGGUAN');
  t.ok(alertsFrom(intake.status.health()).includes('ledger_tampered'), 'status.alerts');
  t.notOk(alertsFrom(intake.status.health()).some((a) => a.startsWith('reader') || a.startsWith('sensor')), 'a desk has no reader or sensor to alert on');

  scanner.scan(residents[2].letterNo);
  await waitFor('the refusal', () => notices.includes('LEDGER_TAMPERED'));
  t.equal(intake.desk.current().name, 'IDLE', 'no letter check started');
  t.equal(tickets(), 1, 'no ticket issued on a ledger that does not verify');
  await sleep(2200);
  t.equal(tamper().length, 1, 'one tamper event, not one per check');
  t.equal(intake.recheckLedger('test'), null, 'latched until a restart');
});

/** A desk on a sealed ledger with `n` virtual residents imported, started; recheck only on demand. */
async function openDesk(t: Test, n = 6) {
  const { intake, residents, config, file } = await openSimDesk({ dir: t.testdir(), seed: 15, residents: n, recheckIntervalS: 3600, teardown: (fn) => t.teardown(fn) });
  const notices: string[] = [];
  intake.desk.on('notice', (c) => notices.push(c));
  const verify = () => {
    const db = new Database(file, { readonly: true });
    try {
      return verifyLedger(db, loadChainKey(config.ledger.keyFile));
    } finally {
      db.close();
    }
  };
  const tamper = () => intake.status.outbox.peek(1000).filter((r) => r.payload.type === 'tamper');
  return { intake, residents, file, notices, verify, tamper, scanner: intake.devices.scanner as SimScanner, panel: intake.devices.panel as SimPanel, printer: intake.devices.printer as SimPrinter };
}

t.test('an old KTP marked owed by another sqlite client: the desk hands nothing back onto the edit', async (t) => {
  const { intake, residents, file, notices, verify, tamper, scanner, panel, printer } = await openDesk(t);
  scanner.scan(residents[0].letterNo);
  panel.press('SESUAI');
  t.equal(intake.ledger.itemState('old_ktp', residents[0].letterNo), 'held');

  // Someone makes the desk "owe" this old KTP back without any counter's close: no event, no audit.
  foreignSql(file, `UPDATE items SET state = 'awaiting_return' WHERE kind = 'old_ktp' AND ref = '${residents[0].letterNo}'`);
  const sheets = printer.sheets.length;
  scanner.scan(residents[0].letterNo);
  t.equal(intake.desk.current().name, 'IDLE', 'no KEMBALIKAN KTP LAMA on a ledger that does not verify');
  t.ok(notices.includes('OLD_KTP_HANDBACK_HELD'), 'the coded notice');
  t.notOk(notices.includes('OLD_KTP_HANDBACK'));
  t.equal(panel.leds().GANGGUAN, 'fast', 'the re-check before the handback found the edit: GANGGUAN');
  t.equal(tamper().length, 1, 'one tamper event');
  panel.press('SESUAI');
  t.equal(intake.ledger.itemState('old_ktp', residents[0].letterNo), 'awaiting_return', 'nothing recorded on top of the edit');
  t.match(verify().problems.join('\n'), /state does not match its custody events/, 'the edit is still there to be found');
  await waitFor('the slip', () => printer.sheets.length > sheets);
  const slip = printer.sheets.at(-1)!;
  t.equal(slip.kind, 'old_ktp_handback_held');
  t.match(slip.lines.join('\n'), /PENGEMBALIAN KTP LAMA[\s\S]*DITUNDA[\s\S]*LEDGER_TAMPERED/);
  t.notMatch(slip.lines.join('\n'), new RegExp(residents[0].biodata.nik), 'NIK masked');
});

t.test('the ledger edited between the scan and SESUAI of a handback: refused at SESUAI, the KTP still owed', async (t) => {
  const { intake, residents, file, notices, verify, tamper, scanner, panel } = await openDesk(t);
  scanner.scan(residents[0].letterNo);
  panel.press('SESUAI');
  // A counter's gagal, as the queue authority records it: through the desk's own keyed chain.
  intake.ledger.move('old_ktp', residents[0].letterNo, 'awaiting_return', null, 'counter_gagal');
  scanner.scan(residents[0].letterNo);
  t.equal(intake.desk.current().name, 'HANDBACK', 'a clean ledger: KEMBALIKAN KTP LAMA');
  foreignSql(file, `UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND ref = '${residents[1].cardUid}'`);
  panel.press('SESUAI');
  t.equal(intake.ledger.itemState('old_ktp', residents[0].letterNo), 'awaiting_return', 'not recorded returned');
  t.equal(intake.desk.current().name, 'IDLE');
  t.equal(notices.at(-1), 'OLD_KTP_HANDBACK_HELD');
  t.equal(tamper().length, 1);
  t.notOk(verify().ok);
  t.equal(intake.ledger.itemState('ektp', residents[1].cardUid), 'issued', 'the edit stays as found');
});

t.test("the desk's ledger edited while it keeps the office queue: no ticket leased to a counter onto it", async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = t.testdir();
  const office = await openSimOffice({ residents: 4, seed: 16, counters: 1, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  const c = office.counters[0];
  await waitFor('counter connected', () => c.counter.office!.connected);
  const [first, second] = c.played;
  t.equal(await office.intakeAll([first.resident.letterNo, second.resident.letterNo]), 2);

  foreignSql(join(dir, DESK, 'ledger.sqlite'), `UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND ref = '${c.played[2].resident.cardUid}'`);
  t.match(office.intake.recheckLedger('test'), { ok: false }, "the desk's re-check finds the edit");
  const deskCards = () => office.intake.ledger.itemState('ektp', first.resident.cardUid);
  t.equal(deskCards(), 'on_hand');

  const notices: string[] = [];
  c.counter.runner.on('notice', (n) => notices.push(n));
  c.devices.panel.press('PANGGIL');
  await waitFor('the counter told why', () => notices.length > 0, 10_000);
  t.same(notices, ['QUEUE_LEDGER_REFUSED'], 'a coded refusal, not a call and not "unreachable"');
  t.equal(c.counter.runner.current().name, 'IDLE', 'nobody called');
  t.equal(deskCards(), 'on_hand', "the e-KTP stays in the desk's card store: no custody move on the edited ledger");
  t.same(
    query(join(dir, DESK, 'ledger.sqlite'), "SELECT number, state FROM tickets ORDER BY id"),
    [
      { number: 'A-001', state: 'waiting' },
      { number: 'A-002', state: 'waiting' },
    ],
    'no lease',
  );
  t.equal(c.devices.panel.leds().GANGGUAN, 'fast', "GANGGUAN on the counter: the office's queue is out of service");
});
