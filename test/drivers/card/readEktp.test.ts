import t from 'tap';
import type { ApduTransport } from '../../../drivers/card/apdu.ts';
import { DevSam } from '../../../drivers/card/devSam.ts';
import { readEktp } from '../../../drivers/card/readEktp.ts';
import { CardError } from '../../../drivers/card/types.ts';
import { VirtualEktpCard, type VirtualCardSpec } from '../../../drivers/card/virtual/ektpCard.ts';
import { SITI, WAYAN, resident } from '../../fixtures/card/residents.ts';

function inProcess(card: VirtualEktpCard): ApduTransport {
  return {
    async transmit(apdu) {
      const r = card.handle(apdu);
      if (r.kind === 'pulled') throw new CardError('CARD_REMOVED', 'pulled');
      if (r.kind === 'stalled') throw new Error('unexpected stall');
      return r.bytes;
    },
  };
}

async function read(spec: VirtualCardSpec, opts: { extendedLength?: boolean; sam?: DevSam; signal?: AbortSignal } = {}) {
  const sam = opts.sam ?? new DevSam();
  await sam.open().catch(() => undefined);
  let apdus = 0;
  const data = await readEktp(inProcess(new VirtualEktpCard(spec)), sam, {
    extendedLength: opts.extendedLength ?? true,
    signal: opts.signal,
    onApdu: () => apdus++,
  });
  return { data, apdus };
}

t.test('readEktp', async (t) => {
  t.test('reads every field, the photo, the signature and both templates of a resident', async (t) => {
    const r = resident(SITI);
    const { data, apdus } = await read({ resident: r });
    t.same(data.biodata, SITI);
    t.same(data.photo, r.photo);
    t.same(data.signature, r.signature);
    t.same(data.fingers, r.fingers);
    t.equal(data.signatureValid, true);
    t.match(data.cardUid, /^[0-9A-F]{14}$/);
    t.equal(apdus, 18, 'UID, DF, 3 auth steps, 6 x (SELECT + 1 READ) + 1 extra photo block');
  });

  t.test('reads in short APDUs with GET RESPONSE chaining when the card has no extended length', async (t) => {
    const r = resident(WAYAN);
    const { data, apdus } = await read({ resident: r, extendedLength: false, maxResponse: 96 }, { extendedLength: false });
    t.same(data.photo, r.photo);
    t.same(data.biodata, WAYAN);
    t.ok(apdus > 60, `many short APDUs (${apdus})`);
  });

  t.test('gives two residents different UIDs and the same resident the same UID', async (t) => {
    const a = await read({ resident: resident(SITI) });
    const b = await read({ resident: resident(WAYAN) });
    const c = await read({ resident: resident(SITI) });
    t.not(a.data.cardUid, b.data.cardUid);
    t.equal(a.data.cardUid, c.data.cardUid);
  });

  t.test('rejects forged biodata with SIGNATURE_INVALID', async (t) => {
    await t.rejects(read({ resident: resident(), faults: { forgeBiodata: true } }), { code: 'SIGNATURE_INVALID' });
  });

  t.test('rejects data signed by an untrusted key with SIGNATURE_INVALID', async (t) => {
    await t.rejects(read({ resident: resident(), faults: { foreignSigner: true } }), { code: 'SIGNATURE_INVALID' });
  });

  for (const file of ['biodata', 'minutiae2', 'dataSignature'] as const) {
    t.test(`rejects a damaged ${file} file with a coded error`, async (t) => {
      const err = await read({ resident: resident(), faults: { damageFile: file } }).catch((e: unknown) => e);
      t.type(err, CardError);
      t.match((err as CardError).code, file === 'dataSignature' ? 'SIGNATURE_INVALID' : 'MALFORMED_DATA');
    });
  }

  t.test('rejects a card whose keys the SAM did not issue with AUTH_FAILED', async (t) => {
    await t.rejects(read({ resident: resident(), faults: { wrongCardKey: true } }), { code: 'AUTH_FAILED' });
  });

  t.test('rejects truncated responses with MALFORMED_DATA', async (t) => {
    for (const at of [1, 4, 8, 12]) {
      await t.rejects(read({ resident: resident(), faults: { truncateFromApdu: at, truncateTo: 1 } }), { code: 'MALFORMED_DATA' }, `from APDU ${at}`);
    }
    await t.rejects(read({ resident: resident(), faults: { truncateFromApdu: 9, truncateTo: 20 } }), CardError);
  });

  t.test('reports CARD_REMOVED when the card leaves mid-read', async (t) => {
    await t.rejects(read({ resident: resident(), faults: { pullAfterApdus: 10 } }), { code: 'CARD_REMOVED' });
  });

  t.test('reports SAM_REFUSED when the SAM refuses', async (t) => {
    await t.rejects(read({ resident: resident() }, { sam: new DevSam({ refuse: true }) }), { code: 'SAM_REFUSED' });
  });

  t.test('stops between APDUs when its signal is aborted', async (t) => {
    const ctl = new AbortController();
    const reason = new CardError('CANCELED', 'stop');
    ctl.abort(reason);
    await t.rejects(read({ resident: resident() }, { signal: ctl.signal }), reason);
  });

  t.test('zeroes what it read when a later step fails', async (t) => {
    const seen: Uint8Array[] = [];
    const card = new VirtualEktpCard({ resident: resident(), faults: { forgeBiodata: true } });
    const sam = new DevSam();
    await sam.open();
    const orig = sam.verifyDataSignature.bind(sam);
    sam.verifyDataSignature = async (digest, sig) => {
      seen.push(sig);
      return orig(digest, sig);
    };
    await t.rejects(readEktp(inProcess(card), sam, { extendedLength: true }), { code: 'SIGNATURE_INVALID' });
    t.equal(seen.length, 1);
    t.ok(seen[0].every((b) => b === 0), 'the signature buffer was wiped');
  });
});
