/**
 * One box of a simulated office in its own process, for the fault test and `bench:office`: the
 * intake desk issuing a ticket to every resident, or a counter calling and serving until told to
 * stop. The parent kills these with SIGKILL at random moments and starts them again; everything
 * a box knows comes back from its ledger.
 *
 *   node --import tsx test/harness/officeBox.ts --role intake|counter --id ID --dir DIR --broker URL --residents N --seed S [--hold-after-read]
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../agent/config/load.ts';
import { initLedgerFiles, ledgerExists } from '../../agent/ledger/open.ts';
import { assembleIntake } from '../../agent/intake/assemble.ts';
import { openSimCounter } from '../../agent/sim/simCounter.ts';
import { virtualRoster } from '../../agent/sim/roster.ts';
import { makeResidents } from '../../agent/sim/residents.ts';
import { playedResident } from '../../agent/sim/virtualDay.ts';
import type { TxState } from '../../agent/transaction/states.ts';
import { silentLogger } from '../../drivers/logger.ts';
import type { SimPanel } from '../../drivers/panel/sim.ts';
import type { SimScanner } from '../../drivers/scanner/sim.ts';
import { DayPlayer } from './day.ts';
import { DESK, OFFICE_SITE, officeConfig } from './office.ts';
import { waitForState } from './runnerWaits.ts';
import { residentHasTicket } from '../../agent/ledger/officeTickets.ts';

const { values: a } = parseArgs({
  options: {
    role: { type: 'string' },
    id: { type: 'string' },
    dir: { type: 'string' },
    broker: { type: 'string' },
    residents: { type: 'string' },
    seed: { type: 'string' },
    'intake-ms': { type: 'string', default: '40' },
    // Counter: call one ticket, put its card on the reader and stay in DATA_CHECK (to be killed there).
    'hold-after-read': { type: 'boolean' },
  },
});
const residents = Number(a.residents);
const seed = Number(a.seed);
const dataDir = join(a.dir!, a.id!);
mkdirSync(dataDir, { recursive: true });
const office = officeConfig(a.broker!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stopping = false;
process.on('SIGTERM', () => (stopping = true));

if (a.role === 'intake') {
  const config = parseConfig({ dataDir, role: 'intake', site: { id: OFFICE_SITE }, counter: { id: DESK, label: 'MEJA PENDAFTARAN' }, office }, 'office');
  // The box's first run, as `ektp-agent init` (agent/tools/init.ts) does on an installed desk.
  if (!ledgerExists(dataDir)) initLedgerFiles({ dataDir, keyFile: config.ledger.keyFile });
  const intake = await assembleIntake({ config, logger: silentLogger });
  const batchId = `VIRTUAL-${seed}-${residents}`;
  const people = makeResidents(seed, residents);
  if (!intake.ledger.rosterImported(batchId)) intake.importRoster(virtualRoster(people, OFFICE_SITE, batchId, new Date().toISOString()));
  intake.start();
  const scanner = intake.devices.scanner as SimScanner;
  const panel = intake.devices.panel as SimPanel;
  // Residents arrive one after the other; after a restart the desk refuses those already queued.
  for (const p of people) {
    if (stopping) break;
    const resident = intake.ledger.residentByLetter(p.letterNo);
    if (resident && residentHasTicket(intake.ledger, resident.id)) continue;
    scanner.scan(p.letterNo);
    if (intake.desk.current().name === 'CONFIRM_LETTER') panel.press('SESUAI');
    await sleep(Number(a['intake-ms']));
  }
  process.send?.({ intakeDone: true });
  while (!stopping) await sleep(100);
  await intake.close();
  process.exit(0);
}

const c = await openSimCounter({
  residents,
  seed,
  dataDir,
  logger: silentLogger,
  configOverrides: { site: { id: OFFICE_SITE }, counter: { id: a.id, label: a.id!.toUpperCase() }, office },
  // A restarted counter is back in seconds: each resident's card is made when called.
  cards: 'lazy',
});
const people = makeResidents(seed, residents);
const player = new DayPlayer(c.counter, c.devices, c.world, () => undefined);
// A transaction resumed after the verdict waits for the handover: finish it first.
const resumed: TxState = c.counter.runner.current();
if (resumed.name === 'HANDOVER' || resumed.name === 'RETURN_DOCS') {
  c.devices.panel.press('SESUAI');
  await waitForState(c.counter.runner, ['IDLE'], 30_000);
}
if (a['hold-after-read']) {
  // A counter that dies for good mid-transaction (test/agent/office/release.test.ts).
  for (;;) {
    const r = await player.call();
    if ('notice' in r) {
      await sleep(200);
      continue;
    }
    const letter = c.counter.ledger.residentById(r.residentId).letterNo;
    const i = people.findIndex((x) => x.letterNo === letter);
    await c.devices.card.insertCard(playedResident(c.world, people[i], i).card);
    await waitForState(c.counter.runner, ['DATA_CHECK'], 30_000);
    const t = c.counter.runner.current();
    process.send?.({ holding: t.name === 'DATA_CHECK' ? c.counter.ledger.ticket(t.tx.ticketId).number : null });
    for (;;) await sleep(1000);
  }
}
while (!stopping) {
  const t0 = performance.now();
  const r = await player.call();
  if ('notice' in r) {
    if (process.env.OFFICE_DEBUG) console.error(`${a.id}: ${r.notice}`);
    await sleep(r.notice === 'QUEUE_EMPTY' ? 300 : 500);
    continue;
  }
  appendFileSync(join(a.dir!, `latency-${a.id}.txt`), `${(performance.now() - t0).toFixed(1)}\n`);
  const letter = c.counter.ledger.residentById(r.residentId).letterNo;
  const i = people.findIndex((x) => x.letterNo === letter);
  const p = playedResident(c.world, people[i], i);
  // The wrong card shown first, and the stranger's finger, belong to the next resident.
  const next = (i + 1) % people.length;
  await player.serveCalled(p, [p, playedResident(c.world, people[next], next)]);
}
await c.close();
process.exit(0);
