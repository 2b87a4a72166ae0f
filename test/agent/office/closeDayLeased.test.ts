/**
 * Close-day at the intake desk of a multi-counter office while a counter is serving a resident.
 * The desk's ledger keeps that ticket leased to the counter (state `called`, the e-KTP and the
 * letter `sent` to it); closing it as "tidak dilayani" would record the letter back at the desk
 * while it is on the counter's table, and the counter's verdict would land on a cancelled ticket.
 * So close-day refuses while any ticket is leased (DAY_TICKETS_LEASED), names the tickets and
 * counters in Bahasa Indonesia, changes nothing, and works once the counter has reported its close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { officeReport } from '../../../agent/office/report.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { cli } from '../../helpers/cli.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { DESK, openOfficeWithLease } from '../../harness/office.ts';
import { waitFor } from '../../helpers/waits.ts';
import { query } from '../../helpers/ledgerFile.ts';

t.test('close-day at the desk while a ticket is leased to a counter: refused in Bahasa, nothing changed; after the close it works', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-closeday-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { office, counter: c, served, player, deskFile, configFile, notices } = await openOfficeWithLease({ dir, brokerUrl: broker.url, logger: silentLogger, teardown: (fn) => t.teardown(fn) });
  const desk = office.intake.ledger;

  // loket-1 called A-001: the desk leased it, the e-KTP and the letter went to the counter.
  t.equal(c.counter.runner.current().name, 'CALLED', `called (notices on the way: ${notices.join(', ') || 'none'})`);
  t.equal(c.counter.ledger.residentById((c.counter.runner.current() as { tx: { residentId: number } }).tx.residentId).letterNo, served.resident.letterNo);
  const before = query(deskFile, "SELECT number, state FROM tickets ORDER BY id");
  t.same(before, [
    { number: 'A-001', state: 'called' },
    { number: 'A-002', state: 'waiting' },
  ]);
  const onHand = desk.itemCount('ektp', 'on_hand');

  const refused = cli(['close-day', '--counted', String(onHand), '--config', configFile]);
  t.equal(refused.status, 1, refused.stdout);
  t.match(refused.stderr, /Hari pelayanan belum dapat ditutup/);
  t.match(refused.stderr, /A-001 \(loket-1\)/, 'names the ticket and the counter serving it');
  t.match(refused.stderr, /office release/, 'and the way out for a counter that died');
  t.match(refused.stderr, /\(DAY_TICKETS_LEASED\)/);
  t.same(query(deskFile, 'SELECT number, state FROM tickets ORDER BY id'), before, 'no ticket closed');
  t.equal(desk.itemState('letter', served.resident.letterNo), 'sent', "the letter is still on the counter's table");
  t.same(query(deskFile, 'SELECT COUNT(*) AS n FROM day_closes'), [{ n: 0 }], 'the day is not closed');

  // The counter finishes the resident and reports the close; then the day closes.
  await player.serveCalled(served, c.played);
  await waitFor('the close acknowledged', () => c.counter.office!.journalDepth() === 0);
  await waitFor('the desk applied the close', () => query<{ state: string }>(deskFile, "SELECT state FROM tickets WHERE number = 'A-001'")[0]?.state === 'served');
  const closed = cli(['close-day', '--counted', String(desk.itemCount('ektp', 'on_hand')), '--config', configFile]);
  t.equal(closed.status, 0, closed.stderr);
  t.match(closed.stdout, /Nomor antrean tidak dilayani \(dokumen dikembalikan ke penduduk\): A-002/);
  t.notMatch(closed.stdout, /A-001/, 'the served ticket is not closed as not served');
  const l = office.ledgers();
  t.teardown(() => l.close());
  const r = officeReport(l.boxes, DESK);
  t.same(r.withoutHolder, []);
  t.same(r.withTwoHolders, []);
  t.ok(r.ok, 'the office balances');
});
