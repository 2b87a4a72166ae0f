import t from 'tap';
import { openSimCounter, type SimCounter } from '../../../agent/sim/simCounter.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import type { TxState } from '../../../agent/transaction/states.ts';
import { untilState } from '../../harness/runnerWaits.ts';

const RESIDENTS = 3;


const notice = (sim: SimCounter, code: string, ms = 60_000) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no notice ${code}`)), ms);
    const on = (c: string) => {
      if (c !== code) return;
      clearTimeout(timer);
      sim.counter.runner.off('notice', on);
      resolve();
    };
    sim.counter.runner.on('notice', on);
  });

async function toDataCheck(sim: SimCounter, i = 0): Promise<void> {
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  await sim.devices.card.insertCard(sim.played[i].card);
  await untilState(sim, ['DATA_CHECK']);
}

t.test('TransactionRunner', async (t) => {
  t.test('a long SANGGAH on the panel marks the card damaged; other long presses do nothing', async (t) => {
    const sim = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir: t.testdir(), logger: silentLogger });
    t.teardown(() => sim.close());
    sim.counter.intake(sim.played[0].resident.letterNo);
    await toDataCheck(sim);
    sim.devices.panel.longPress('SESUAI');
    sim.devices.panel.longPress('SANGGAH');
    const s = await untilState(sim, ['RETURN_DOCS', 'VERIFY_FINGER']);
    t.same(s.name === 'RETURN_DOCS' && s.reason, 'card_damaged');
    sim.devices.panel.press('SESUAI');
    await untilState(sim, ['IDLE']);
    t.equal(sim.counter.ledger.itemState('ektp', sim.played[0].resident.cardUid), 'retained');
    t.ok(sim.counter.reconcile().ok, sim.counter.reconcile().problems.join('; '));
  });

  t.test('a power cut before the verdict closes the transaction as interrupted and re-queues the ticket', async (t) => {
    const dataDir = t.testdir();
    const first = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir, logger: silentLogger });
    first.counter.intake(first.played[0].resident.letterNo);
    await toDataCheck(first);
    const txId = (first.counter.runner.current() as Extract<TxState, { name: 'DATA_CHECK' }>).tx.id;
    await first.close(); // the process dies here: nothing below the SQLite commit is kept

    const second = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir, logger: silentLogger });
    t.teardown(() => second.close());
    t.equal(second.counter.runner.current().name, 'IDLE');
    t.match(
      second.counter.ledger.closedTransactions().find((tx) => tx.id === txId),
      { outcome: 'batal', reason: 'interrupted' },
    );
    t.equal(second.counter.ledger.nextWaiting()?.residentId, 1, 'the same resident is first in the queue again');
    t.equal(second.counter.ledger.itemState('old_ktp', second.played[0].resident.letterNo), 'held', 'documents still held');
    t.equal(second.counter.ledger.itemState('ektp', second.played[0].resident.cardUid), 'on_hand', 'the e-KTP is back with the support officer');
    t.equal(second.counter.ledger.itemState('letter', second.played[0].resident.letterNo), 'held', 'so is the letter');
    // Served again to the end, the day still reconciles.
    await second.devices.card.removeCard();
    await toDataCheck(second);
    second.devices.panel.press('SESUAI');
    await untilState(second, ['VERIFY_FINGER']);
    second.devices.sensor.present(second.world.genuine(second.played[0].resident, 'right_index', 1));
    await untilState(second, ['HANDOVER']);
    second.devices.panel.press('SESUAI');
    await untilState(second, ['IDLE']);
    t.ok(second.counter.reconcile().ok, second.counter.reconcile().problems.join('; '));
  });

  t.test('a power cut after the verdict resumes at the handover, slips printed once', async (t) => {
    const dataDir = t.testdir();
    const first = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir, logger: silentLogger });
    first.counter.intake(first.played[0].resident.letterNo);
    await toDataCheck(first);
    first.devices.panel.press('SESUAI');
    await untilState(first, ['VERIFY_FINGER']);
    first.devices.sensor.present(first.world.genuine(first.played[0].resident, 'right_index', 1));
    await untilState(first, ['HANDOVER']);
    await first.close();

    const second = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir, logger: silentLogger });
    t.teardown(() => second.close());
    t.equal(second.counter.runner.current().name, 'HANDOVER', 'resumed');
    t.equal(second.devices.panel.leds().BERHASIL, 'on');
    second.devices.panel.press('SESUAI');
    await untilState(second, ['IDLE']);
    t.equal(second.counter.ledger.itemState('ektp', second.played[0].resident.cardUid), 'issued');
    const prints = second.counter.prints;
    const jobs = { receipt_resident: prints.countOfKind('receipt_resident'), receipt_staff: prints.countOfKind('receipt_staff'), result: prints.countOfKind('result') };
    t.same(jobs, { receipt_resident: 1, receipt_staff: 1, result: 1 }, 'one result slip and the two receipt copies, not re-queued on resume');
    t.ok(second.counter.reconcile().ok);
  });

  t.test('paper out mid-day keeps the slips queued, lights GANGGUAN, and the counter goes on', async (t) => {
    const sim = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir: t.testdir(), logger: silentLogger });
    t.teardown(() => sim.close());
    sim.devices.printer.setStatus({ paper: 'out' });
    sim.counter.intake(sim.played[0].resident.letterNo);
    await sim.counter.prints.pump().catch(() => undefined);
    t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
    t.equal(sim.counter.prints.depth(), 1, 'the queue ticket waits');
    await toDataCheck(sim);
    t.equal(sim.counter.prints.depth(), 2, 'the data-check slip waits behind it');
    sim.devices.printer.setStatus({ paper: 'ok' });
    await sim.counter.prints.pump();
    t.equal(sim.counter.prints.depth(), 0);
    t.same(sim.devices.printer.sheets.map((s) => s.kind), ['queue_ticket', 'data_check'], 'in order, once each');
    t.equal(sim.devices.panel.leds().GANGGUAN, 'off');
  });

  t.test('a sensor pulled out during verification is a fault, not a verdict', async (t) => {
    const sim = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir: t.testdir(), logger: silentLogger });
    t.teardown(() => sim.close());
    sim.counter.intake(sim.played[0].resident.letterNo);
    await toDataCheck(sim);
    sim.devices.panel.press('SESUAI');
    await untilState(sim, ['VERIFY_FINGER']);
    const fault = notice(sim, 'DISCONNECTED');
    sim.devices.sensor.unplug();
    await fault;
    t.equal(sim.counter.runner.current().name, 'VERIFY_FINGER');
    sim.devices.sensor.replug();
    sim.devices.sensor.present(sim.world.genuine(sim.played[0].resident, 'right_index', 2));
    const s = await untilState(sim, ['HANDOVER', 'RETURN_DOCS']);
    t.equal(s.name, 'HANDOVER');
  });

  t.test('a button in the wrong state is refused with a notice and changes nothing', async (t) => {
    const sim = await openSimCounter({ residents: RESIDENTS, seed: 9, dataDir: t.testdir(), logger: silentLogger });
    t.teardown(() => sim.close());
    const refused = notice(sim, 'WRONG_STATE');
    sim.devices.panel.press('SESUAI');
    await refused;
    t.equal(sim.counter.runner.current().name, 'IDLE');
    t.equal(sim.devices.panel.leds().GAGAL, 'fast');
    const empty = notice(sim, 'QUEUE_EMPTY');
    sim.devices.panel.press('PANGGIL');
    await empty;
    t.equal(sim.counter.runner.current().name, 'IDLE');
  });
});
