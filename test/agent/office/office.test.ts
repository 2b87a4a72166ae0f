import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ticketCount, ticketNumbers } from '../../../agent/ledger/officeTickets.ts';
import { officeReport } from '../../../agent/office/report.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { DESK, openSimOffice } from '../../harness/office.ts';

const until = async (pred: () => boolean, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

t.test('two counters serve one office queue through a real mosquitto; the office reconciles', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({ residents: 12, seed: 3, counters: 2, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  await until(() => office.counters.every((c) => c.counter.office!.connected), 'counters connected');

  const letters = office.counters[0].played.map((p) => p.resident.letterNo);
  t.equal(await office.intakeAll(letters), 12, 'every letter got a ticket at the desk');
  const numbers = ticketNumbers(office.intake.ledger);
  t.equal(new Set(numbers).size, 12, 'ticket numbers unique for the office and day');

  const [a, b] = await Promise.all([office.serveUntilEmpty(0), office.serveUntilEmpty(1)]);
  t.ok(a.served > 0 && b.served > 0, `both counters served (${a.served} + ${b.served})`);
  t.equal(a.served + b.served, 12, 'every ticket called exactly once across the two counters');

  await until(() => office.counters.every((c) => c.counter.office!.journalDepth() === 0), 'journals acknowledged');
  const ledgers = office.ledgers();
  t.teardown(() => ledgers.close());
  const report = officeReport(ledgers.boxes, DESK);
  t.same(report.withoutHolder, [], 'no item without a holder');
  t.same(report.withTwoHolders, [], 'no item with two holders');
  t.same(report.unacknowledged, []);
  t.same(report.tickets.servedTwice, []);
  t.same(report.tickets.leasedButNotOpen, []);
  t.equal((report.tickets.byState.waiting ?? 0) + (report.tickets.byState.called ?? 0), 0, 'queue empty');
  t.ok(report.ok);
});

t.test('a counter that cannot reach the queue says so and holds nothing; the desk keeps issuing', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({ residents: 4, seed: 4, counters: 1, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  const c = office.counters[0];
  await until(() => c.counter.office!.connected, 'counter connected');
  await broker.restart(0);
  await broker.stop();
  await until(() => !c.counter.office!.connected, 'counter sees the broker gone');
  t.equal(await office.intakeAll([c.played[0].resident.letterNo]), 1, 'the desk issues while the broker is down');
  const notice = new Promise<string>((r) => c.counter.runner.once('notice', r));
  c.devices.panel.press('PANGGIL');
  t.equal(await notice, 'QUEUE_UNREACHABLE');
  t.equal(c.devices.panel.led('GANGGUAN'), 'fast');
  t.equal(c.counter.runner.current().name, 'IDLE');
  t.equal(ticketCount(c.counter.ledger), 0, 'nothing claimed here');
  t.equal(c.counter.office!.pendingClaims(), 0, 'nothing half-claimed');
});

t.test('report office shows a move sent but not acknowledged, until the desk records it', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({ residents: 3, seed: 5, counters: 1, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  const c = office.counters[0];
  await until(() => c.counter.office!.connected, 'counter connected');
  await office.intakeAll([c.played[0].resident.letterNo]);
  const called = new Promise((r) => c.counter.runner.once('state', r));
  c.devices.panel.press('PANGGIL');
  await called;
  // The broker is away for 4 s (kept on the same port, as a restart of the office server).
  const back = broker.restart(4000);
  await until(() => !c.counter.office!.connected, 'broker gone');
  // Nobody came: the e-KTP and the letter go back to the desk, but the desk cannot hear it yet.
  c.devices.panel.press('BATAL');
  await until(() => c.counter.runner.current().name === 'IDLE', 'closed as no-show');
  const boxes = [`--box`, `${DESK}=${join(dir, DESK, 'ledger.sqlite')}`, `--box`, `loket-1=${join(dir, 'loket-1', 'ledger.sqlite')}`, '--authority', DESK];
  const { main } = await import('../../../agent/tools/officeReport.ts');
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  t.teardown(() => (console.log = log));
  t.equal(await main(boxes), 1, 'does not balance while a move is on the way');
  t.match(lines.join('\n'), /NOT ACKNOWLEDGED: ektp loket-1 -> meja-1 \(on_hand\)/);
  t.match(lines.join('\n'), /NOT ACKNOWLEDGED: letter loket-1 -> meja-1 \(held\)/);
  t.match(lines.join('\n'), /in_transit 2/);

  await back;
  await until(() => c.counter.office!.journalDepth() === 0, 'journal acknowledged', 20_000);
  lines.length = 0;
  t.equal(await main(boxes), 0, 'balances once the desk recorded the return');
  t.match(lines.join('\n'), /tickets: no_show 1/);
});
