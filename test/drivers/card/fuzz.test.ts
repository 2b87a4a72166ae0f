/**
 * Property tests: whatever bytes a card, a reader or a SAM hands back, parsing ends in a value or
 * a coded CardError; never another exception, never a hang.
 */
import t from 'tap';
import fc from 'fast-check';
import { decodeCommand, parseResponse, transceive, type ApduTransport } from '../../../drivers/card/apdu.ts';
import { DevSam } from '../../../drivers/card/devSam.ts';
import { decodeBiodata, decodeFcpSize, decodeFinger } from '../../../drivers/card/profile.ts';
import { readEktp } from '../../../drivers/card/readEktp.ts';
import { SecureChannel } from '../../../drivers/card/secureChannel.ts';
import { parseTlvs } from '../../../drivers/card/tlv.ts';
import { CardError } from '../../../drivers/card/types.ts';
import { VirtualEktpCard } from '../../../drivers/card/virtual/ektpCard.ts';
import { resident } from '../../fixtures/card/residents.ts';

const SEED = 20261127;
const bytes = (max = 300) => fc.uint8Array({ maxLength: max });

/** Runs `f`; passes when it returns or throws a CardError with a code, fails on anything else. */
function coded(f: () => unknown, parsed?: { n: number }): boolean {
  try {
    f();
    if (parsed) parsed.n += 1;
    return true;
  } catch (err) {
    return err instanceof CardError && typeof err.code === 'string';
  }
}

t.test('parsers on random bytes', async (t) => {
  t.test('TLV, APDU, FCP, biodata and minutiae parsing end in a value or a CardError', async (t) => {
    // Values returned, not only refusals: a parser that threw a CardError at everything would
    // pass the property, so the inputs it can parse must still parse.
    const parsed = { tlv: { n: 0 }, command: { n: 0 }, response: { n: 0 } };
    fc.assert(
      fc.property(bytes(), (b) =>
        [
          () => coded(() => parseTlvs(b), parsed.tlv),
          () => coded(() => decodeCommand(b), parsed.command),
          () => coded(() => parseResponse(b), parsed.response),
          () => coded(() => decodeFcpSize(b)),
          () => coded(() => decodeBiodata(b)),
          () => coded(() => decodeFinger(b)),
        ].every((f) => f()),
      ),
      { seed: SEED, numRuns: 2000 },
    );
    t.comment(`parsed: ${JSON.stringify(parsed)}`);
    // The seed gives 1586 responses (any 2+ bytes), 353 commands and 214 TLV inputs parsed out of
    // 2000; the floors are about half of that.
    t.ok(parsed.response.n >= 800, `${parsed.response.n} responses parsed`);
    t.ok(parsed.tlv.n >= 100, `${parsed.tlv.n} TLV inputs parsed`);
    t.ok(parsed.command.n >= 170, `${parsed.command.n} commands decoded`);
  });

  t.test('TLV-shaped garbage with a valid outer tag still ends in a value or a CardError', async (t) => {
    fc.assert(
      fc.property(bytes(200), (inner) => {
        const b = Uint8Array.from([0x61, 0x81, inner.length & 0xff, ...inner]);
        return coded(() => decodeBiodata(b)) && coded(() => decodeFinger(Uint8Array.from([0x7f, 0x60, inner.length & 0x7f, ...inner])));
      }),
      { seed: SEED, numRuns: 1000 },
    );
    t.pass('no uncoded exception');
  });

  t.test('secure-messaging responses, random or mutated, end in a value or MALFORMED_DATA', async (t) => {
    const k = new Uint8Array(24).fill(3);
    let mutated = 0;
    fc.assert(
      fc.property(bytes(), fc.integer({ min: 0, max: 0xffff }), (b, sw) => {
        const host = new SecureChannel(k, k, new Uint8Array(8));
        try {
          host.unprotectResponse({ data: b, sw });
          return true;
        } catch (err) {
          return err instanceof CardError && err.code === 'MALFORMED_DATA';
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(400), fc.nat(255), (pos, val) => {
        const host = new SecureChannel(k, k, new Uint8Array(8));
        const card = new SecureChannel(k, k, new Uint8Array(8));
        card.unprotectCommand(host.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 200 }));
        const resp = card.protectResponse({ data: new Uint8Array(200).fill(9), sw: 0x9000 });
        const data = resp.data.slice();
        const i = pos % data.length;
        if (data[i] === val) return true;
        data[i] = val;
        try {
          host.unprotectResponse({ data, sw: 0x9000 });
          return false; // any changed byte must be caught by the MAC or the framing
        } catch (err) {
          mutated += 1;
          return err instanceof CardError && err.code === 'MALFORMED_DATA';
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // Nearly every draw changes a byte (1 in 256 draws the same value): the property saw mutations.
    t.ok(mutated >= 950, `${mutated} of 1000 mutated responses refused`);
  });

  t.test('the virtual card answers any APDU with a status word and never throws', async (t) => {
    const card = new VirtualEktpCard({ resident: resident() });
    fc.assert(
      fc.property(bytes(), (b) => {
        const r = card.handle(b);
        return r.kind === 'answer' && r.bytes.length >= 2;
      }),
      { seed: SEED, numRuns: 2000 },
    );
    t.pass('always a response');
  });

  t.test('GET RESPONSE chaining on random answers ends in a value or a CardError', async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.array(bytes(40), { minLength: 1, maxLength: 700 }), async (answers) => {
        let i = 0;
        const tr: ApduTransport = { transmit: async () => answers[Math.min(i++, answers.length - 1)] };
        try {
          await transceive(tr, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
          return true;
        } catch (err) {
          return err instanceof CardError;
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    t.pass('always ends');
  });
});

t.test('readEktp against a card whose answers are mutated', async (t) => {
  const mutation = fc.record({
    at: fc.integer({ min: 1, max: 18 }),
    kind: fc.constantFrom('flip', 'truncate', 'garbage', 'status', 'empty'),
    pos: fc.nat(5000),
    val: fc.integer({ min: 0, max: 255 }),
    garbage: bytes(80),
  });

  t.test('every mutated read ends in card data or a coded CardError, never a hang', async (t) => {
    const r = resident();
    const sam = new DevSam();
    await sam.open();
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const card = new VirtualEktpCard({ resident: r });
        let n = 0;
        const tr: ApduTransport = {
          async transmit(apdu) {
            const a = card.handle(apdu);
            if (a.kind !== 'answer') throw new Error('unexpected');
            if (++n !== m.at) return a.bytes;
            const b = a.bytes.slice();
            switch (m.kind) {
              case 'flip':
                b[m.pos % b.length] ^= 1 << m.val % 8;
                return b;
              case 'truncate':
                return b.slice(0, m.pos % b.length);
              case 'garbage':
                return m.garbage;
              case 'status':
                return Uint8Array.from([...b.subarray(0, b.length - 2), m.val, m.pos & 0xff]);
              default:
                return new Uint8Array(0);
            }
          },
        };
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new Error('hang')), 5000);
        try {
          const data = await readEktp(tr, sam, { extendedLength: true, signal: deadline.signal });
          // A mutation the protocol cannot see (e.g. a status word flipped to another success) may pass,
          // but then the data must be exactly the resident's.
          return data.photo.length === r.photo.length && data.biodata.nik === r.biodata.nik;
        } catch (err) {
          if (err instanceof CardError) codes.add(err.code);
          return err instanceof CardError;
        } finally {
          clearTimeout(timer);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
    t.ok(codes.has('MALFORMED_DATA'), `codes seen: ${[...codes].join(', ')}`);
  });
});
