import t from 'tap';
import { SW } from '../../../drivers/card/apdu.ts';
import { SecureChannel } from '../../../drivers/card/secureChannel.ts';
import { unpad, pad } from '../../../drivers/card/smCrypto.ts';

function pair() {
  const kEnc = new Uint8Array(24).map((_, i) => i + 1);
  const kMac = new Uint8Array(24).map((_, i) => 100 + i);
  const ssc = Uint8Array.of(0, 0, 0, 0, 0xff, 0xff, 0xff, 0xfe);
  return { host: new SecureChannel(kEnc, kMac, ssc), card: new SecureChannel(kEnc, kMac, ssc) };
}

t.test('SecureChannel', async (t) => {
  t.test('carries a command and its response across intact', async (t) => {
    const { host, card } = pair();
    for (let i = 0; i < 3; i++) {
      const cmd = { cla: 0, ins: 0xb0, p1: 0, p2: i, le: 100 };
      const wire = host.protectCommand(cmd);
      t.equal(wire.cla, 0x0c);
      const inner = card.unprotectCommand(wire);
      t.same(inner, { cla: 0, ins: 0xb0, p1: 0, p2: i, data: undefined, le: 100 });
      const data = new Uint8Array(50).fill(i);
      const back = host.unprotectResponse(card.protectResponse({ data, sw: SW.OK }));
      t.same(back, { data, sw: SW.OK });
    }
  });

  t.test('encrypts command data so it never travels in clear', async (t) => {
    const { host, card } = pair();
    const secret = new TextEncoder().encode('3173044501900003');
    const wire = host.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 4, data: secret, le: 64 });
    t.notOk(Buffer.from(wire.data!).includes(Buffer.from(secret)));
    const inner = card.unprotectCommand(wire);
    t.same('data' in inner && inner.data, secret);
  });

  t.test('the card rejects a tampered or replayed command with an SM status word', async (t) => {
    const { host, card } = pair();
    const wire = host.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 10 });
    const tampered = { ...wire, p2: 1 };
    t.same(card.unprotectCommand(tampered), { sw: SW.SM_INCORRECT });
    // The counter moved on: replaying the original now fails too.
    t.same(card.unprotectCommand(wire), { sw: SW.SM_INCORRECT });
  });

  t.test('the host rejects a response with a wrong MAC as MALFORMED_DATA', async (t) => {
    const { host, card } = pair();
    card.unprotectCommand(host.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 10 }));
    const resp = card.protectResponse({ data: new Uint8Array(10), sw: SW.OK });
    const bad = resp.data.slice();
    bad[bad.length - 1] ^= 1;
    t.throws(() => host.unprotectResponse({ data: bad, sw: SW.OK }), { code: 'MALFORMED_DATA' });
  });

  t.test('padding is checked on removal', async (t) => {
    t.same(unpad(pad(Uint8Array.of(1, 2, 3))), Uint8Array.of(1, 2, 3));
    t.throws(() => unpad(new Uint8Array(8)), { code: 'MALFORMED_DATA' });
  });
});
