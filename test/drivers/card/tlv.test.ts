import t from 'tap';
import { encodeTlv, parseSingle, parseTlvs } from '../../../drivers/card/tlv.ts';

t.test('BER-TLV', async (t) => {
  t.test('round-trips one-, two- and three-byte lengths and multi-byte tags', async (t) => {
    for (const [tag, n] of [[0x80, 0], [0x5f01, 127], [0x7f60, 128], [0x61, 300], [0x87, 70000]] as const) {
      const v = new Uint8Array(n).fill(0xab);
      const parsed = parseTlvs(encodeTlv(tag, v));
      t.equal(parsed.length, 1);
      t.equal(parsed[0].tag, tag);
      t.equal(parsed[0].value.length, n);
    }
  });

  t.test('parses a sequence in order', async (t) => {
    const bytes = Buffer.concat([encodeTlv(0x80, Uint8Array.of(1)), encodeTlv(0x81, Uint8Array.of(2, 3))]);
    t.same(parseTlvs(bytes).map((x) => [x.tag, [...x.value]]), [[0x80, [1]], [0x81, [2, 3]]]);
  });

  t.test('rejects overruns, indefinite lengths and long tags with MALFORMED_DATA', async (t) => {
    for (const bad of ['8005010203', '5f', '5f01', '8080', '8184', '9fffff7f0100', '8201', '61820100']) {
      t.throws(() => parseTlvs(Buffer.from(bad, 'hex')), { code: 'MALFORMED_DATA' }, bad);
    }
  });

  t.test('skips ISO 7816-4 00/FF padding before, between and after objects', async (t) => {
    const one = encodeTlv(0x80, Uint8Array.of(1));
    const two = encodeTlv(0x81, Uint8Array.of(2, 3));
    for (const fill of [0x00, 0xff]) {
      const pad = new Uint8Array(5).fill(fill);
      t.same(parseTlvs(Buffer.concat([pad, one, pad, two, pad])).map((x) => x.tag), [0x80, 0x81]);
      t.same(parseSingle(Buffer.concat([encodeTlv(0x61, one), pad]), 0x61), one, 'a fixed-size EF with its unused tail');
    }
    t.same(parseTlvs(new Uint8Array(8)), [], 'an erased file has no objects');
  });

  t.test('parseSingle requires exactly the expected object', async (t) => {
    t.throws(() => parseSingle(encodeTlv(0x62, new Uint8Array(1)), 0x61), { code: 'MALFORMED_DATA' });
    t.throws(() => parseSingle(Buffer.concat([encodeTlv(0x61, new Uint8Array(1)), encodeTlv(0x61, new Uint8Array(1))]), 0x61), {
      code: 'MALFORMED_DATA',
    });
  });
});
