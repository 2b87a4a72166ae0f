import t from 'tap';
import { closeDay, dayClosing } from '../../../agent/ledger/dayClose.ts';
import { dailyCounts } from '../../../agent/ledger/dailyReport.ts';
import { Ledger, ledgerDatabase } from '../../../agent/ledger/ledger.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

function serve(ledger: Ledger, txId: string) {
  const ticket = ledger.nextWaiting()!;
  const r = ledger.residentById(ticket.residentId);
  ledger.createTransaction(txId, ticket, 'CALLED', '{}');
  ledger.move('ektp', r.cardUid, 'issued', txId, 'handover');
  ledger.move('old_ktp', r.letterNo, 'kept', txId, 'handover');
  ledger.move('letter', r.letterNo, 'kept', txId, 'handover');
  ledger.move('queue_ticket', `${ticket.day}/${ticket.number}`, 'kept', txId, 'handover');
  ledger.move('receipt', txId, 'kept', txId, 'handover', ticket.residentId);
  ledger.setTicketState(ticket.id, 'served');
  ledger.closeTransaction(txId, 'berhasil', null);
}

t.test('close-day: waiting tickets close as not served, documents returned, queue empty, intake closed', async (t) => {
  const { ledger, residents, db } = ledgerWithRoster(5);
  for (const r of residents.slice(0, 4)) ledger.intake(r.letterNo, 'A');
  serve(ledger, 'tx-1');
  const result = closeDay(ledger, { counted: 4, documents: 'returned', operator: 'PETUGAS-01' });
  t.same(result.tickets, ['A-002', 'A-003', 'A-004'], 'listed in queue order');
  t.equal(result.cardsExpected, 4, '5 delivered, 1 handed over');
  t.equal(result.difference, 0);
  t.equal(ledger.waitingCount(), 0, 'nothing waits overnight');
  for (const r of residents.slice(1, 4)) {
    t.equal(ledger.itemState('old_ktp', r.letterNo), 'returned', 'old KTP back to its owner');
    t.equal(ledger.itemState('letter', r.letterNo), 'returned');
  }
  t.ok(reconcile(db).ok, reconcile(db).problems.join('; '));
  const c = dailyCounts(ledger);
  t.same(c.queue, { issued: 4, served: 1, noShow: 0, cancelled: 0, notServed: 3 });
  t.same(dayClosing(ledger, c.date), result, 'stored as returned');
  t.throws(() => ledger.intake(residents[4].letterNo, 'A'), { code: 'DAY_CLOSED' }, 'intake stays closed for the rest of the day');
  t.throws(() => closeDay(ledger, { counted: 4, documents: 'returned', operator: 'P' }), { code: 'DAY_ALREADY_CLOSED' });
  t.throws(() => db.prepare('UPDATE day_closes SET cards_counted = 99').run(), /append-only/);
});

t.test('a new day starts with an empty queue and numbers from 001', async (t) => {
  let now = Date.parse('2026-12-05T02:00:00.000Z');
  const { db, residents } = ledgerWithRoster(3);
  // Same file, a clock we can move to tomorrow.
  const ledger = new Ledger(db, () => new Date((now += 1000)), 'Asia/Jakarta');
  ledger.intake(residents[0].letterNo, 'A');
  ledger.intake(residents[1].letterNo, 'A');
  closeDay(ledger, { counted: 3, documents: 'kept', operator: 'P' });
  t.equal(ledger.itemState('old_ktp', residents[0].letterNo), 'kept', 'documents kept overnight when configured');
  now = Date.parse('2026-12-06T01:00:00.000Z');
  t.equal(ledger.waitingCount(), 0);
  const { ticket } = ledger.intake(residents[0].letterNo, 'A');
  t.equal(ticket.number, 'A-001', 'numbering restarts');
  t.equal(ticket.day, '2026-12-06');
  t.equal(ledger.nextWaiting()?.id, ticket.id, 'only today\'s resident waits');
  t.equal(ledger.itemState('old_ktp', residents[0].letterNo), 'held', 'the resident hands the old KTP in again');
});

t.test('close-day refuses while a resident is being served, and a bad count', async (t) => {
  const { ledger, residents } = ledgerWithRoster(2);
  ledger.intake(residents[0].letterNo, 'A');
  ledger.createTransaction('tx-open', ledger.nextWaiting()!, 'CALLED', '{}');
  t.throws(() => closeDay(ledger, { counted: 2, documents: 'returned', operator: 'P' }), { code: 'DAY_OPEN_TRANSACTION' });
  t.throws(() => closeDay(ledger, { counted: -1, documents: 'returned', operator: 'P' }), { code: 'DAY_COUNT_INVALID' });
  t.throws(() => closeDay(ledger, { counted: 1.5, documents: 'returned', operator: 'P' }), { code: 'DAY_COUNT_INVALID' });
  t.equal((ledgerDatabase(ledger).prepare('SELECT COUNT(*) AS n FROM day_closes').get() as { n: number }).n, 0, 'nothing recorded');
});

t.test('close-day settles the old KTPs owed back at the desk that nobody came for, and lists them', async (t) => {
  const { ledger, residents, db } = ledgerWithRoster(3);
  for (const r of residents) ledger.intake(r.letterNo, 'A');
  // An office desk: counters closed A-001 gagal and A-002 cancelled (authority.ts); A-003 still waits.
  for (const [i, why] of [[0, 'counter_gagal'], [1, 'counter_cancelled']] as const) {
    const tk = ledger.nextWaiting()!;
    ledger.setTicketState(tk.id, i === 0 ? 'served' : 'cancelled');
    ledger.move('old_ktp', residents[i].letterNo, 'awaiting_return', null, why);
    ledger.move('queue_ticket', `${tk.day}/${tk.number}`, 'kept', null, why);
  }
  const before = dailyCounts(ledger);
  t.same(before.oldKtp.awaitingReturn, ['A-001', 'A-002'], 'the daily report lists them while the day is open');
  t.ok(reconcile(db).ok, reconcile(db).problems.join('; '));
  const result = closeDay(ledger, { counted: 3, documents: 'kept', operator: 'PETUGAS-01' });
  t.same(result.tickets, ['A-003']);
  t.same(result.oldKtpsAwaitingReturn, ['A-001', 'A-002'], 'listed by ticket number');
  for (const r of residents) t.equal(ledger.itemState('old_ktp', r.letterNo), 'kept', 'kept by staff, as the office configures');
  t.same(dayClosing(ledger, result.day), result, 'read back from the ledger');
  t.same(dailyCounts(ledger).oldKtp.awaitingReturn, []);
  t.ok(reconcile(db).ok, reconcile(db).problems.join('; '));
});

t.test('daily counts: e-KTPs sent to another box of the office are out of the store, neither handed over nor missing', async (t) => {
  // A counter's view: it took two e-KTPs from the desk, handed one over and sent one back (tertunda).
  const { ledger, residents } = ledgerWithRoster(3);
  const [a, b] = residents;
  ledger.move('ektp', a.cardUid, 'issued', null, 'handover');
  ledger.move('ektp', b.cardUid, 'sent', null, 'back_to_intake');
  let c = dailyCounts(ledger).cards;
  t.match(c, { received: 3, handedOver: 1, sentOut: 1, closing: 1 }, 'one left in the store, not two');
  // The desk leases it to this counter again: back in, and the day balances as before the send.
  ledger.move('ektp', b.cardUid, 'on_hand', null, 'received_from_intake');
  c = dailyCounts(ledger).cards;
  t.match(c, { sentOut: 0, closing: 2 });
  t.equal(c.closing, ledger.itemCount('ektp', 'on_hand'), 'the system stock is what the store holds');
});
