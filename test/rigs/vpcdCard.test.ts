import t from 'tap';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { VpcdCard, type VirtualChip } from '../harness/vpcd/vpcdCard.ts';

/** A stand-in for vpcd's side of the socket: sends length-prefixed messages, collects answers. */
async function fakeVpcd() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  let buf = Buffer.alloc(0);
  const frames: Buffer[] = [];
  let waiter: (() => void) | undefined;
  return {
    port,
    async socket() {
      const [s] = await accepted;
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          frames.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        waiter?.();
      });
      return s;
    },
    send(s: Socket, payload: number[]) {
      const b = Buffer.alloc(2 + payload.length);
      b.writeUInt16BE(payload.length, 0);
      Buffer.from(payload).copy(b, 2);
      s.write(b);
    },
    async next(): Promise<Buffer> {
      while (frames.length === 0) await new Promise<void>((r) => (waiter = r));
      return frames.shift()!;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function chip(): VirtualChip & { resets: number } {
  return {
    atr: Uint8Array.of(0x3b, 0x00),
    resets: 0,
    reset() {
      this.resets++;
    },
    handle(apdu) {
      if (apdu[1] === 0xee) return { kind: 'pulled' };
      return { kind: 'answer', bytes: Uint8Array.of(apdu[1], 0x90, 0x00) };
    },
  };
}

t.test('VpcdCard', async (t) => {
  t.test('answers get-ATR, resets on power and reset, and answers APDUs in length-prefixed frames', async (t) => {
    const vpcd = await fakeVpcd();
    t.teardown(() => vpcd.close());
    const c = chip();
    const card = new VpcdCard({ port: vpcd.port });
    await card.insert(c);
    const s = await vpcd.socket();
    vpcd.send(s, [0x04]);
    t.same([...(await vpcd.next())], [0x3b, 0x00]);
    vpcd.send(s, [0x01]);
    vpcd.send(s, [0x02]);
    vpcd.send(s, [0x00, 0xa4, 0x04, 0x00]);
    t.same([...(await vpcd.next())], [0xa4, 0x90, 0x00]);
    t.equal(c.resets, 3, 'insert, power on and reset each reset the chip');
    await card.remove();
    t.equal(card.inserted, false);
  });

  t.test('closes the socket when the chip leaves the field mid-command', async (t) => {
    const vpcd = await fakeVpcd();
    t.teardown(() => vpcd.close());
    const card = new VpcdCard({ port: vpcd.port });
    await card.insert(chip());
    const s = await vpcd.socket();
    const closed = once(s, 'close');
    vpcd.send(s, [0x00, 0xee, 0x00, 0x00]);
    await closed;
    t.equal(card.inserted, false);
  });

  t.test('refuses a second card in an occupied slot and fails when nothing listens', async (t) => {
    const vpcd = await fakeVpcd();
    t.teardown(() => vpcd.close());
    const card = new VpcdCard({ port: vpcd.port });
    await card.insert(chip());
    await t.rejects(card.insert(chip()), /already inserted/);
    await card.remove();
    const nowhere = new VpcdCard({ port: 1 });
    await t.rejects(nowhere.insert(chip(), { timeoutMs: 100 }));
  });
});
