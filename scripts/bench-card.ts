/**
 * Card read benchmark: `npm run bench:card -- [--json OUT.json] [--reads N]`.
 *
 * Starts a private pcscd with the vsmartcard vpcd driver (needs root), puts a virtual e-KTP in
 * vpcd slot 00 and reads it N times through PcscCardReader with the development SAM (TEST KEYS).
 * Prints and writes: readMsMedian (whole readCard), apduCount (per read), agentOverheadMsMedian
 * (read time not spent waiting in SCardTransmit: our APDU building, SM crypto, parsing,
 * signature check; target < 50 ms), and the same read without the TCP_NODELAY shim for contrast.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DevSam } from '../drivers/card/devSam.ts';
import { PcscCardReader } from '../drivers/card/pcsc.ts';
import { VirtualEktpCard } from '../drivers/card/virtual/ektpCard.ts';
import { VpcdCard } from '../test/harness/vpcd/vpcdCard.ts';
import { startPrivatePcscd } from '../test/harness/vpcd/privatePcscd.ts';
import { silentLogger } from '../drivers/logger.ts';
import { resident } from '../test/fixtures/card/residents.ts';

const { values } = parseArgs({ options: { json: { type: 'string' }, reads: { type: 'string', default: '30' } } });
const reads = Number(values.reads);
if (!Number.isInteger(reads) || reads < 1) throw new TypeError('--reads must be a positive integer');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}
const round = (x: number) => Math.round(x * 100) / 100;

const pcscd = await startPrivatePcscd();
const slot = new VpcdCard({ port: pcscd.port });
const reader = new PcscCardReader({ readerName: pcscd.readerNames[0], reconnectMs: 100 }, new DevSam(), silentLogger);
const r = resident(undefined, 6000);

async function run(n: number): Promise<{ readMs: number[]; overheadMs: number[]; transmitMs: number[]; apdus: number }> {
  await slot.remove();
  await slot.insert(new VirtualEktpCard({ resident: r }));
  await reader.waitForCard({ timeoutMs: 5000 });
  const readMs: number[] = [];
  const overheadMs: number[] = [];
  const transmitMs: number[] = [];
  await reader.readCard({ timeoutMs: 30_000 }); // warm-up: JIT, key derivation caches
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await reader.readCard({ timeoutMs: 30_000 });
    const dt = performance.now() - t0;
    readMs.push(dt);
    transmitMs.push(reader.lastTransmitMs);
    overheadMs.push(dt - reader.lastTransmitMs);
  }
  return { readMs, overheadMs, transmitMs, apdus: reader.lastApduCount };
}

try {
  await reader.open();
  const fast = await run(reads);
  // Same reads without the shim: each APDU then waits for vpcd's delayed ACK (Nagle).
  await slot.remove();
  const ready = new Promise<void>((res) => reader.once('reader-ready', () => res()));
  await pcscd.restart({ nodelay: false });
  await ready;
  const slow = await run(Math.min(3, reads));

  const result = {
    reads,
    photoBytes: r.photo.length,
    extendedLength: true,
    readMsMedian: round(median(fast.readMs)),
    readMsP95: round(p95(fast.readMs)),
    apduCount: fast.apdus,
    transmitMsMedian: round(median(fast.transmitMs)),
    agentOverheadMsMedian: round(median(fast.overheadMs)),
    agentOverheadTargetMs: 50,
    readMsMedianWithoutNodelay: round(median(slow.readMs)),
  };
  console.log(JSON.stringify(result, null, 2));
  if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
} finally {
  await reader.close();
  await slot.remove();
  await pcscd.stop();
}
