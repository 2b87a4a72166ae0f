import t from 'tap';
import { SimCardReader } from '../../../drivers/card/sim.ts';
import { wipeCardData, type CardData } from '../../../drivers/card/types.ts';
import { SITI, WAYAN, resident } from '../../fixtures/card/residents.ts';

const cardData = (): CardData => {
  const r = resident(WAYAN, 100);
  return { cardUid: '04A1B2C3D4E5F6', biodata: r.biodata, photo: r.photo, signature: r.signature, fingers: r.fingers, signatureValid: true };
};

async function openSim() {
  const sim = new SimCardReader();
  await sim.open();
  return sim;
}

t.test('SimCardReader', async (t) => {
  t.test('reads a virtual resident through the full APDU sequence', async (t) => {
    const sim = await openSim();
    const r = resident(SITI);
    sim.insertCard({ resident: r });
    const data = await sim.readCard({ timeoutMs: 2000 });
    t.same(data.biodata, SITI);
    t.same(data.fingers, r.fingers);
  });

  t.test('returns a fresh copy of plain CardData on every read, so wiping one read keeps the card', async (t) => {
    const sim = await openSim();
    sim.insertCard(cardData());
    const first = await sim.readCard({ timeoutMs: 1000 });
    wipeCardData(first);
    const second = await sim.readCard({ timeoutMs: 1000 });
    t.ok(second.photo.some((b) => b !== 0));
    t.equal(sim.readCount, 2);
  });

  t.test('emits card-inserted and card-removed, and waitForCard resolves on insertion', async (t) => {
    const sim = await openSim();
    const events: string[] = [];
    sim.on('card-inserted', () => events.push('in'));
    sim.on('card-removed', () => events.push('out'));
    const waiting = sim.waitForCard({ timeoutMs: 1000 });
    sim.insertCard(cardData());
    await waiting;
    sim.removeCard();
    t.same(events, ['in', 'out']);
    t.equal(sim.health().cardPresent, false);
  });

  t.test('waitForCard rejects with TIMEOUT and with CANCELED', async (t) => {
    const sim = await openSim();
    await t.rejects(sim.waitForCard({ timeoutMs: 10 }), { code: 'TIMEOUT', retryable: true });
    const ctl = new AbortController();
    const p = sim.waitForCard({ timeoutMs: 1000, signal: ctl.signal });
    ctl.abort();
    await t.rejects(p, { code: 'CANCELED' });
  });

  t.test('rejects with NO_CARD when the reader is empty', async (t) => {
    const sim = await openSim();
    await t.rejects(sim.readCard({ timeoutMs: 100 }), { code: 'NO_CARD' });
  });

  t.test('unplug makes reads fail with READER_ABSENT and replug restores them', async (t) => {
    const sim = await openSim();
    sim.insertCard(cardData());
    const lost: string[] = [];
    sim.on('reader-lost', (e) => lost.push(e.code));
    sim.on('reader-ready', () => lost.push('ready'));
    sim.unplug();
    await t.rejects(sim.readCard({ timeoutMs: 100 }), { code: 'READER_ABSENT' });
    t.equal(sim.health().reader, 'absent');
    sim.replug();
    await sim.readCard({ timeoutMs: 100 });
    t.same(lost, ['READER_ABSENT', 'ready']);
  });

  t.test('failNextRead fails exactly the next read with the given code', async (t) => {
    const sim = await openSim();
    sim.insertCard(cardData());
    sim.failNextRead('MALFORMED_DATA');
    await t.rejects(sim.readCard({ timeoutMs: 100 }), { code: 'MALFORMED_DATA', retryable: false });
    await sim.readCard({ timeoutMs: 100 });
    t.equal(sim.health().lastError, 'MALFORMED_DATA');
  });

  t.test('failNextRead(CARD_REMOVED) also takes the card away', async (t) => {
    const sim = await openSim();
    sim.insertCard(cardData());
    sim.failNextRead('CARD_REMOVED');
    await t.rejects(sim.readCard({ timeoutMs: 100 }), { code: 'CARD_REMOVED', retryable: true });
    t.equal(sim.health().cardPresent, false);
  });

  t.test('virtual card faults surface with their codes', async (t) => {
    const sim = await openSim();
    sim.insertCard({ resident: resident(), faults: { forgeBiodata: true } });
    await t.rejects(sim.readCard({ timeoutMs: 2000 }), { code: 'SIGNATURE_INVALID' });
    sim.insertCard({ resident: resident(), faults: { pullAfterApdus: 6 } });
    await t.rejects(sim.readCard({ timeoutMs: 2000 }), { code: 'CARD_REMOVED' });
    t.equal(sim.health().cardPresent, false);
  });

  t.test('a refusing SAM gives SAM_REFUSED', async (t) => {
    const sim = await openSim();
    sim.insertCard({ resident: resident() });
    sim.setSamRefuse(true);
    await t.rejects(sim.readCard({ timeoutMs: 2000 }), { code: 'SAM_REFUSED' });
    t.equal(sim.health().sam, 'locked');
    sim.setSamRefuse(false);
    await sim.readCard({ timeoutMs: 2000 });
  });

  t.test('a read slower than its timeout rejects with TIMEOUT', async (t) => {
    const sim = new SimCardReader({ readLatencyMs: 200 });
    await sim.open();
    sim.insertCard(cardData());
    await t.rejects(sim.readCard({ timeoutMs: 20 }), { code: 'TIMEOUT' });
  });

  t.test('close twice is harmless and a closed reader refuses reads', async (t) => {
    const sim = await openSim();
    await sim.close();
    await sim.close();
    await t.rejects(sim.readCard({ timeoutMs: 100 }), { code: 'READER_ABSENT' });
  });
});
