import t from 'tap';
import { decodeCommand, encodeCommand, parseResponse, transceive, type ApduTransport } from '../../../drivers/card/apdu.ts';
import { CardError } from '../../../drivers/card/types.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

t.test('encodeCommand / decodeCommand', async (t) => {
  t.test('encodes the four short cases as ISO 7816-4 lays them out', async (t) => {
    t.equal(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 1, p2: 0x0c })), '00a4010c');
    t.equal(hex(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, le: 8 })), '0084000008');
    t.equal(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 1, p2: 0x0c, data: Uint8Array.of(0x7f, 0x0a) })), '00a4010c027f0a');
    t.equal(hex(encodeCommand({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: Uint8Array.of(1), le: 256 })), '00880000010100');
  });

  t.test('switches to extended length only when the lengths need it', async (t) => {
    t.equal(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4096 })), '00b00000001000');
    t.equal(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 })), '00b00000000000');
    const big = encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300), le: 2 });
    t.equal(hex(big.subarray(0, 7)), '00d6000000012c');
    t.equal(big.length, 7 + 300 + 2);
  });

  t.test('decodes what it encodes, short and extended', async (t) => {
    const cases = [
      { cla: 0, ins: 1, p1: 2, p2: 3 },
      { cla: 0, ins: 1, p1: 2, p2: 3, le: 256 },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: Uint8Array.of(9, 9) },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: Uint8Array.of(9), le: 17 },
      { cla: 0, ins: 1, p1: 2, p2: 3, le: 1000 },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: new Uint8Array(400).fill(5) },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: new Uint8Array(400).fill(5), le: 65536 },
    ];
    for (const c of cases) {
      const d = decodeCommand(encodeCommand(c));
      t.same({ ...d, extended: undefined, data: d.data && hex(d.data) }, { ...c, extended: undefined, data: c.data && hex(c.data) });
    }
  });

  t.test('rejects inconsistent lengths with MALFORMED_DATA', async (t) => {
    for (const bad of ['00a4', '00a4010c0501', '00b000000000', '00b00000000005aa']) {
      t.throws(() => decodeCommand(Buffer.from(bad, 'hex')), { code: 'MALFORMED_DATA' }, bad);
    }
  });

  t.test('rejects a response shorter than a status word', async (t) => {
    t.throws(() => parseResponse(Uint8Array.of(0x90)), CardError);
    t.same(parseResponse(Uint8Array.of(1, 2, 0x90, 0)), { data: Uint8Array.of(1, 2), sw: 0x9000 });
  });
});

t.test('transceive', async (t) => {
  t.test('follows 61xx with GET RESPONSE and concatenates the pieces', async (t) => {
    const sent: string[] = [];
    const replies = ['0102616' + '2', '0304611' + '0', '050690' + '00'];
    const tr: ApduTransport = {
      async transmit(apdu) {
        sent.push(hex(apdu));
        return Buffer.from(replies.shift()!, 'hex');
      },
    };
    const r = await transceive(tr, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    t.same(sent, ['00b0000000', '00c0000062', '00c0000010']);
    t.equal(hex(r.data), '010203040506');
    t.equal(r.sw, 0x9000);
  });

  t.test('resends with the Le that a 6Cxx answer names', async (t) => {
    const sent: string[] = [];
    const replies = ['6c05', 'aabbccddee9000'];
    const tr: ApduTransport = {
      async transmit(apdu) {
        sent.push(hex(apdu));
        return Buffer.from(replies.shift()!, 'hex');
      },
    };
    const r = await transceive(tr, { cla: 0, ins: 0xca, p1: 0, p2: 0, le: 256 });
    t.same(sent, ['00ca000000', '00ca000005']);
    t.equal(hex(r.data), 'aabbccddee');
  });

  t.test('gives up on a GET RESPONSE chain that never ends', async (t) => {
    const tr: ApduTransport = { transmit: async () => Uint8Array.of(0x61, 0x01) };
    await t.rejects(transceive(tr, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 }), { code: 'MALFORMED_DATA' });
  });
});
