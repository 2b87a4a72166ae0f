/**
 * Issue #16 through pcscd + vpcd and the real PC/SC driver (root, pcscd, vsmartcard-vpcd; no skip):
 * a chip with 00-padded fixed-size EFs reads and verifies; a damaged chip ends "belum dapat
 * diverifikasi" with the e-KTP still on hand. One private pcscd per process, so one counter.
 */
import { vpcdSlot } from '../../harness/vpcdSlot.ts';
import t from 'tap';
import { openSimCounter } from '../../../agent/sim/simCounter.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { untilState } from '../../harness/runnerWaits.ts';


t.test('through pcscd + vpcd', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 4, dataDir: t.testdir(), logger: silentLogger, cardSlot: await vpcdSlot() });
  t.teardown(() => sim.close());

  t.test('a chip with 00 padding after its TLVs is berhasil for its owner', async (t) => {
    const p = sim.played[0];
    sim.counter.intake(p.resident.letterNo);
    sim.devices.panel.press('PANGGIL');
    await untilState(sim, ['CALLED']);
    await sim.devices.card.insertCard(p.card, { padding: { fill: 0x00, slack: 64 } });
    t.equal((await untilState(sim, ['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'DATA_CHECK');
    sim.devices.panel.press('SESUAI');
    await untilState(sim, ['VERIFY_FINGER']);
    sim.devices.sensor.present(sim.world.genuine(p.resident, 'right_index', 1));
    t.equal((await untilState(sim, ['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'HANDOVER');
    sim.devices.panel.press('SESUAI');
    await untilState(sim, ['IDLE']);
    await sim.devices.card.removeCard();
    t.equal(sim.counter.ledger.itemState('ektp', p.resident.cardUid), 'issued');
  });

  t.test('a damaged chip is unverified, the e-KTP stays on hand', async (t) => {
    const p = sim.played[1];
    sim.counter.intake(p.resident.letterNo);
    sim.devices.panel.press('PANGGIL');
    await untilState(sim, ['CALLED']);
    sim.devices.card.damageNextCard();
    await sim.devices.card.insertCard(p.card);
    t.equal((await untilState(sim, ['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'UNVERIFIED');
    sim.devices.panel.press('SESUAI');
    await untilState(sim, ['IDLE']);
    t.equal(sim.counter.ledger.itemState('ektp', p.resident.cardUid), 'on_hand');
    t.ok(sim.counter.reconcile().ok, sim.counter.reconcile().problems.join('; '));
  });
});
