/**
 * Issue #16, "a fault becomes a verdict": a chip whose fixed-size EFs carry ISO 7816-4 padding
 * after the TLV must read and verify; a chip or device that fails must end "belum dapat
 * diverifikasi" (tertunda) with the e-KTP still on hand, never GAGAL with it retained for
 * destruction. Through the counter with the in-process APDU card (the whole read sequence);
 * faultNotVerdictPcsc.test.ts does the same through pcscd + vpcd and the PC/SC driver.
 */
import t, { type Test } from 'tap';
import { openSimCounter } from '../../../agent/sim/simCounter.ts';
import { Batches } from '../../../agent/ledger/batches.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { untilState } from '../../harness/runnerWaits.ts';


async function servePadded(t: Test, fill: 0x00 | 0xff): Promise<void> {
  const sim = await openSimCounter({ residents: 3, seed: 4, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  const p = sim.played[0];
  sim.counter.intake(p.resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  await sim.devices.card.insertCard(p.card, { padding: { fill, slack: 37 } });
  const read = await untilState(sim, ['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED']);
  t.equal(read.name, 'DATA_CHECK', 'the padded chip reads');
  sim.devices.panel.press('SESUAI');
  await untilState(sim, ['VERIFY_FINGER']);
  sim.devices.sensor.present(sim.world.genuine(p.resident, 'right_index', 1));
  t.equal((await untilState(sim, ['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'HANDOVER', 'the genuine resident is berhasil');
}

t.test('a padded chip record is read and verified', async (t) => {
  t.test('sim reader, 00 padding', (t) => servePadded(t, 0x00));
  t.test('sim reader, FF padding', (t) => servePadded(t, 0xff));
});

t.test('an ISO 19794-2 record with zero padding after it verifies (the matcher decoder, #13)', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 4, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  const p = sim.played[0];
  const padded = { ...p.card, fingers: p.card.fingers.map((f) => ({ ...f, template: Uint8Array.from([...f.template, ...new Uint8Array(24)]) })) };
  sim.counter.intake(p.resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  await sim.devices.card.insertCard(padded, { padding: { fill: 0x00, slack: 16 } });
  t.equal((await untilState(sim, ['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'DATA_CHECK');
  sim.devices.panel.press('SESUAI');
  await untilState(sim, ['VERIFY_FINGER']);
  sim.devices.sensor.present(sim.world.genuine(p.resident, 'right_index', 1));
  t.equal((await untilState(sim, ['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'HANDOVER');
});

t.test('an unreadable chip is "belum dapat diverifikasi": the e-KTP stays on hand, out of destruction batches', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 4, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  const p = sim.played[0];
  sim.counter.intake(p.resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  sim.devices.card.damageNextCard();
  await sim.devices.card.insertCard(p.card);
  const s = await untilState(sim, ['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED']);
  t.equal(s.name, 'UNVERIFIED');
  t.equal(sim.devices.panel.leds().GAGAL, 'off', 'no GAGAL light');
  sim.devices.panel.press('SESUAI');
  await untilState(sim, ['IDLE']);
  const [tx] = sim.counter.ledger.transactionOutcomes().map(({ outcome, reason }) => ({ outcome, reason }));
  t.same(tx, { outcome: 'tertunda', reason: 'card_unreadable' });
  t.equal(sim.counter.ledger.itemState('ektp', p.resident.cardUid), 'on_hand', 'back in the office store');
  t.equal(sim.counter.ledger.itemState('old_ktp', p.resident.letterNo), 'returned');
  t.equal(new Batches(sim.counter.ledger).create('ektp_destruction', { pihakPertama: sim.config.officials.counterOfficer, pihakKedua: sim.config.officials.dinasOfficer }), null, 'nothing to destroy');
  await sim.counter.prints.pump();
  const slip = sim.devices.printer.sheets.find((x: { kind: string }) => x.kind === 'result')?.lines.join('\n') ?? '';
  t.match(slip, /B E L U M {3}D A P A T/);
  t.notMatch(slip, /GAGAL/);
  const events = sim.counter.status.outbox.peek(100_000);
  t.ok(events.some((e) => e.payload.type === 'unverified'), 'its own event');
  t.ok(sim.counter.reconcile().ok, sim.counter.reconcile().problems.join('; '));
  // The resident can come back: the letter is taken in again and a new ticket issued.
  t.doesNotThrow(() => sim.counter.intake(p.resident.letterNo));
});

t.test('repeated refused captures are "belum dapat diverifikasi", not GAGAL', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 4, dataDir: t.testdir(), logger: silentLogger, configOverrides: { verification: { maxQualityRetries: 3 } } });
  t.teardown(() => sim.close());
  const p = sim.played[0];
  sim.counter.intake(p.resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  await sim.devices.card.insertCard(p.card);
  await untilState(sim, ['DATA_CHECK']);
  sim.devices.panel.press('SESUAI');
  await untilState(sim, ['VERIFY_FINGER']);
  const done = untilState(sim, ['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED']);
  for (let i = 0; i < 3; i++) {
    const refused = new Promise<void>((resolve) => {
      const on = () => {
        sim.counter.runner.off('notice', on);
        sim.counter.runner.off('state', on);
        resolve();
      };
      sim.counter.runner.on('notice', on);
      sim.counter.runner.on('state', on);
    });
    sim.devices.sensor.present(sim.world.badFrame('too_light', i + 1, p.resident));
    await refused;
  }
  t.equal((await done).name, 'UNVERIFIED');
  t.same(
    sim.counter.ledger.transactionOutcomes().map(({ outcome, reason }) => ({ outcome, reason }))[0],
    { outcome: 'tertunda', reason: 'fp_quality' },
  );
});
