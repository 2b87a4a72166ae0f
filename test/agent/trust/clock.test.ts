/**
 * Issue #16, "clock before NTP": a Pi without an RTC boots on yesterday's time. Queue numbers must
 * stay unique on the real day across the jump to the synced time, PANGGIL must call in order of
 * arrival, and retention must not erase on a clock it cannot trust.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { configureDatabase } from '../../../agent/ledger/migrate.ts';
import { purgePersonalData } from '../../../agent/ledger/retention.ts';
import { DEV_KEY_ID } from '../../../agent/roster/devKey.ts';
import { loadTrustedKeys, verifyRoster } from '../../../agent/roster/signedRoster.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { openSimCounter } from '../../../agent/sim/simCounter.ts';
import { alertsFrom } from '../../../agent/status/payloads.ts';
import { silentLogger } from '../../../drivers/logger.ts';

const DAY = 86_400_000;
const TODAY = Date.parse('2026-12-07T02:00:00.000Z'); // 09:00 WIB

function ledgerAt(clock: { now: number }, n = 6) {
  const db = new Database(':memory:');
  configureDatabase(db);
  const ledger = new Ledger(db, () => new Date(clock.now), 'Asia/Jakarta');
  const residents = makeResidents(11, n);
  ledger.importRoster(verifyRoster(virtualRoster(residents, 'kec-demo', 'B-1', '2026-12-01T00:00:00.000Z'), loadTrustedKeys([DEV_KEY_ID])));
  return { ledger, residents };
}

t.test('queue numbers stay unique across the jump from a stale boot time to NTP time', async (t) => {
  const clock = { now: TODAY - DAY - 3 * 3600_000 }; // the box boots on yesterday's time
  const { ledger, residents } = ledgerAt(clock);
  const numbers: string[] = [];
  for (const r of residents.slice(0, 2)) {
    numbers.push(ledger.intake(r.letterNo, 'A', 'held', { synced: false }).ticket.number);
    clock.now += 60_000;
  }
  clock.now = TODAY; // NTP syncs: the real day
  for (const r of residents.slice(2, 4)) {
    numbers.push(ledger.intake(r.letterNo, 'A', 'held', { synced: true }).ticket.number);
    clock.now += 60_000;
  }
  t.same(numbers, ['A-001', 'A-002', 'A-003', 'A-004'], 'no second A-001 on the same real day');
  clock.now = TODAY + DAY; // the next day, synced all along
  t.equal(ledger.intake(residents[4].letterNo, 'A', 'held', { synced: true }).ticket.number, 'A-001', 'a synced new day starts again');
});

t.test('PANGGIL calls in order of arrival, not of a wall clock that stepped back', async (t) => {
  const clock = { now: TODAY };
  const { ledger, residents } = ledgerAt(clock);
  const first = ledger.intake(residents[0].letterNo, 'A').ticket;
  clock.now -= 2 * 3600_000; // NTP steps the clock back two hours
  ledger.intake(residents[1].letterNo, 'A');
  t.equal(ledger.nextWaiting()?.id, first.id, 'the first arrival is called first');
});

t.test('retention refuses to erase on an unsynced or implausible clock', async (t) => {
  const clock = { now: TODAY };
  const { ledger, residents } = ledgerAt(clock);
  const { ticket, resident } = ledger.intake(residents[0].letterNo, 'A');
  ledger.atomically(() => {
    ledger.createTransaction('tx-1', ticket, 'CALLED', '{}');
    ledger.setTicketState(ticket.id, 'served');
    for (const [kind, ref, to] of [['ektp', resident.cardUid, 'issued'], ['old_ktp', resident.letterNo, 'returned'], ['letter', resident.letterNo, 'returned'], ['queue_ticket', `${ticket.day}/${ticket.number}`, 'kept']] as const) {
      ledger.move(kind, ref, to as never, 'tx-1', 'handover');
    }
    ledger.closeTransaction('tx-1', 'berhasil', null);
  });
  clock.now = TODAY + 400 * DAY; // a clock 400 days ahead
  t.throws(() => purgePersonalData(ledger, 365, { clockSynced: true }), { code: 'CLOCK_IMPLAUSIBLE' });
  t.throws(() => purgePersonalData(ledger, 365, { clockSynced: false, clockChecked: true }), { code: 'CLOCK_NOT_SYNCED' });
  clock.now = TODAY - DAY;
  t.throws(() => purgePersonalData(ledger, 365, { clockSynced: true }), { code: 'CLOCK_IMPLAUSIBLE' }, 'behind the ledger');
  t.equal(ledger.residentById(resident.id).name, resident.name, 'nothing erased');
  clock.now = TODAY + 400 * DAY;
  t.equal(purgePersonalData(ledger, 365, { clockSynced: true, clockChecked: true }).residents, 1, 'after a person checked the date');
});

t.test('before sync the counter warns: GANGGUAN slow and the clock_not_synced alert', async (t) => {
  let synced: boolean | null = false;
  const sim = await openSimCounter({ residents: 2, seed: 3, dataDir: t.testdir(), logger: silentLogger, clock: { synced: () => synced } });
  t.teardown(() => sim.close());
  sim.counter.intake(sim.played[0].resident.letterNo);
  sim.devices.panel.press('SESUAI'); // any step repaints the LEDs
  await new Promise((r) => setTimeout(r, 200));
  t.equal(sim.devices.panel.leds().GANGGUAN, 'slow');
  t.ok(alertsFrom(sim.counter.status.health()).includes('clock_not_synced'));
  synced = true;
  sim.devices.panel.press('SESUAI');
  await new Promise((r) => setTimeout(r, 200));
  t.equal(sim.devices.panel.leds().GANGGUAN, 'off');
});
