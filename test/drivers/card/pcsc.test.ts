/**
 * Integration: the PC/SC driver against a real pcscd with the vsmartcard vpcd driver, a virtual
 * e-KTP in vpcd slot 00 and the development SAM. Needs root, pcscd and vsmartcard-vpcd (CI has
 * them; scripts/apt-packages.txt); no skip when they are missing: the test fails loudly.
 */
import t from 'tap';
import { once } from 'node:events';
import { DevSam } from '../../../drivers/card/devSam.ts';
import { PcscCardReader } from '../../../drivers/card/pcsc.ts';
import type { CardError, CardReaderEvents } from '../../../drivers/card/types.ts';
import { VirtualEktpCard, type VirtualCardSpec } from '../../../drivers/card/virtual/ektpCard.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { startPcscdRig, type PcscdRig } from '../../helpers/pcscd.ts';
import { SITI, WAYAN, resident } from '../../fixtures/card/residents.ts';

let rig: PcscdRig;
const sam = new DevSam();
let reader: PcscCardReader;
const events: string[] = [];

t.before(async () => {
  rig = await startPcscdRig();
  reader = new PcscCardReader({ readerName: rig.pcscd.readerNames[0], reconnectMs: 100 }, sam, silentLogger);
  for (const ev of ['card-inserted', 'card-removed', 'reader-lost', 'reader-ready'] as const) {
    reader.on(ev, ((e?: CardError) => events.push(e ? `${ev}:${e.code}` : ev)) as (...a: CardReaderEvents[typeof ev]) => void);
  }
  await reader.open();
});

t.teardown(async () => {
  await reader?.close();
  await rig?.stop();
});

async function present(spec: VirtualCardSpec): Promise<VirtualEktpCard> {
  await rig.cardSlot.remove();
  if (reader.health().cardPresent) await once(reader, 'card-removed');
  const chip = new VirtualEktpCard(spec);
  await rig.cardSlot.insert(chip);
  await reader.waitForCard({ timeoutMs: 5000 });
  return chip;
}

t.test('PcscCardReader through pcscd + vpcd', async (t) => {
  t.test('reads a full card and reports the reader healthy', async (t) => {
    const r = resident(SITI);
    await present({ resident: r });
    const data = await reader.readCard({ timeoutMs: 5000 });
    t.same(data.biodata, SITI);
    t.same(data.photo, r.photo);
    t.same(data.fingers, r.fingers);
    t.equal(reader.lastApduCount, 18);
    t.match(reader.health(), { reader: 'ok', sam: 'ok', cardPresent: true });
  });

  t.test('resets the card between reads, so the next resident starts clean', async (t) => {
    const chip = await present({ resident: resident(WAYAN) });
    const a = await reader.readCard({ timeoutMs: 5000 });
    const b = await reader.readCard({ timeoutMs: 5000 });
    t.equal(a.cardUid, b.cardUid);
    t.equal(chip.apduCount, 36, 'each read ran the whole sequence, authentication included');
  });

  t.test('reads with short APDUs and GET RESPONSE chaining when configured so', async (t) => {
    const short = new PcscCardReader({ readerName: rig.pcscd.readerNames[0], extendedLength: false }, new DevSam(), silentLogger);
    await short.open();
    t.teardown(() => short.close());
    const r = resident(SITI);
    await present({ resident: r, extendedLength: false, maxResponse: 128 });
    await short.waitForCard({ timeoutMs: 5000 });
    const data = await short.readCard({ timeoutMs: 10_000 });
    t.same(data.photo, r.photo);
    t.ok(short.lastApduCount > 60, `${short.lastApduCount} APDUs`);
  });

  t.test('emits card-removed and card-inserted as the card comes and goes', async (t) => {
    await present({ resident: resident() });
    events.length = 0;
    await rig.cardSlot.remove();
    await once(reader, 'card-removed');
    await rig.cardSlot.insert(new VirtualEktpCard({ resident: resident() }));
    await once(reader, 'card-inserted');
    t.same(events, ['card-removed', 'card-inserted']);
  });

  t.test('rejects with NO_CARD when the slot is empty', async (t) => {
    await rig.cardSlot.remove();
    if (reader.health().cardPresent) await once(reader, 'card-removed');
    await t.rejects(reader.readCard({ timeoutMs: 2000 }), { code: 'NO_CARD' });
  });

  t.test('reports CARD_REMOVED when the card is pulled mid-read', async (t) => {
    await present({ resident: resident(), faults: { pullAfterApdus: 9 } });
    await t.rejects(reader.readCard({ timeoutMs: 5000 }), { code: 'CARD_REMOVED', retryable: true });
  });

  t.test('rejects forged data with SIGNATURE_INVALID', async (t) => {
    await present({ resident: resident(), faults: { forgeBiodata: true } });
    await t.rejects(reader.readCard({ timeoutMs: 5000 }), { code: 'SIGNATURE_INVALID' });
  });

  t.test('rejects a damaged file and truncated answers with MALFORMED_DATA', async (t) => {
    await present({ resident: resident(), faults: { damageFile: 'minutiae1' } });
    await t.rejects(reader.readCard({ timeoutMs: 5000 }), { code: 'MALFORMED_DATA' });
    await present({ resident: resident(), faults: { truncateFromApdu: 7, truncateTo: 1 } });
    await t.rejects(reader.readCard({ timeoutMs: 5000 }), { code: 'MALFORMED_DATA' });
  });

  t.test('rejects a card not issued under the SAM keys with AUTH_FAILED', async (t) => {
    await present({ resident: resident(), faults: { wrongCardKey: true } });
    await t.rejects(reader.readCard({ timeoutMs: 5000 }), { code: 'AUTH_FAILED' });
  });

  t.test('reports SAM_REFUSED when the SAM refuses, and reads again once it accepts', async (t) => {
    await present({ resident: resident() });
    sam.setRefuse(true);
    await t.rejects(reader.readCard({ timeoutMs: 5000 }), { code: 'SAM_REFUSED' });
    t.equal(reader.health().sam, 'locked');
    sam.setRefuse(false);
    await reader.readCard({ timeoutMs: 5000 });
    t.equal(reader.health().sam, 'ok');
  });

  t.test('times out on a hung card and recovers once it is taken away', async (t) => {
    await present({ resident: resident(), faults: { stallAfterApdus: 5 } });
    await t.rejects(reader.readCard({ timeoutMs: 300 }), { code: 'TIMEOUT', retryable: true });
    await present({ resident: resident() });
    await reader.readCard({ timeoutMs: 5000 });
  });

  t.test('cancels a wait for a card through its AbortSignal', async (t) => {
    await rig.cardSlot.remove();
    if (reader.health().cardPresent) await once(reader, 'card-removed');
    const ctl = new AbortController();
    const p = reader.waitForCard({ timeoutMs: 5000, signal: ctl.signal });
    ctl.abort();
    await t.rejects(p, { code: 'CANCELED' });
  });

  t.test('fails open with READER_ABSENT for a reader that is not there', async (t) => {
    const other = new PcscCardReader({ readerName: 'ACS ACR1281', openTimeoutMs: 300 }, new DevSam(), silentLogger);
    await t.rejects(other.open(), { code: 'READER_ABSENT' });
    t.equal(other.isOpen, false);
  });

  t.test('survives a pcscd restart with a new PC/SC context', async (t) => {
    await present({ resident: resident() });
    events.length = 0;
    const lost = once(reader, 'reader-lost');
    await rig.pcscd.kill();
    const [err] = (await lost) as [CardError];
    t.equal(err.code, 'SERVICE_UNAVAILABLE');
    t.equal(reader.health().reader, 'service_unavailable');
    await t.rejects(reader.readCard({ timeoutMs: 1000 }), { code: 'SERVICE_UNAVAILABLE' });

    const fresh = new PcscCardReader({ readerName: rig.pcscd.readerNames[0] }, new DevSam(), silentLogger);
    await t.rejects(fresh.open(), { code: 'SERVICE_UNAVAILABLE' }, 'open without pcscd fails loudly');

    await rig.cardSlot.remove();
    const ready = once(reader, 'reader-ready');
    await rig.pcscd.restart();
    await ready;
    await rig.cardSlot.insert(new VirtualEktpCard({ resident: resident(WAYAN) }));
    await reader.waitForCard({ timeoutMs: 5000 });
    const data = await reader.readCard({ timeoutMs: 5000 });
    t.same(data.biodata, WAYAN);
    t.same(events.slice(0, 2), ['card-removed', 'reader-lost:SERVICE_UNAVAILABLE']);
  });

  t.test('reports READER_ABSENT while pcscd runs without the reader, and reads once it is back', async (t) => {
    await rig.cardSlot.remove();
    const lost = once(reader, 'reader-lost');
    await rig.pcscd.restart({ readers: false });
    await lost;
    // pcscd is up again, but the configured reader is not among its readers.
    await new Promise((r) => setTimeout(r, 1500));
    t.equal(reader.health().reader, 'absent');
    await t.rejects(reader.readCard({ timeoutMs: 1000 }), { code: 'READER_ABSENT' });
    const ready = once(reader, 'reader-ready');
    await rig.pcscd.restart({ readers: true });
    await ready;
    t.equal(reader.health().reader, 'ok');
    await rig.cardSlot.insert(new VirtualEktpCard({ resident: resident(WAYAN) }));
    await reader.waitForCard({ timeoutMs: 5000 });
    t.same((await reader.readCard({ timeoutMs: 5000 })).biodata, WAYAN);
  });

  t.test('close is harmless twice and rejects later reads', async (t) => {
    const r = new PcscCardReader({ readerName: rig.pcscd.readerNames[0] }, new DevSam(), silentLogger);
    await r.open();
    await r.close();
    await r.close();
    await t.rejects(r.readCard({ timeoutMs: 100 }), { code: 'READER_ABSENT' });
  });
});
