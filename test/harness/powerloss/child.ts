/**
 * The agent under the power-loss harness: one simulated counter (real ledger, real print queue
 * through the real ESC/POS driver over TCP, real MQTT outbox to a real broker, real matcher in its
 * worker) playing the resumable day. The harness kills it with SIGKILL and starts it again on the
 * same SQLite file; nothing here knows whether the last run ended cleanly.
 *
 *   node --import tsx test/harness/powerloss/child.ts '<ChildOptions as JSON>'   (fork()ed, with fd 3)
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { CardData } from '../../../drivers/card/types.ts';
import { SimCardReader } from '../../../drivers/card/sim.ts';
import { SimFingerprintSensor } from '../../../drivers/fingerprint/sim.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import { assembleCounter } from '../../../agent/assemble.ts';
import { simulated } from '../../../agent/sim/simCounter.ts';
import { parseConfig } from '../../../agent/config/load.ts';
import { createRootLogger } from '../../../agent/logging.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { VirtualWorld } from '../../../agent/sim/world.ts';
import type { TxState } from '../../../agent/transaction/states.ts';
import { REPORT_FD, type ChildMessage, type ChildOptions, type ChildReport, type ParentMessage } from './protocol.ts';
import { CardShelf, ResumableDay } from '../resumableDay.ts';

function report(r: ChildReport): void {
  writeSync(REPORT_FD, JSON.stringify(r) + '\n');
}

/** The harness's world: the cards already made in earlier runs arrive before anything starts. */
function receiveWorld(): Promise<Map<number, CardData>> {
  return new Promise((resolve) => {
    process.once('message', (m: ParentMessage) => resolve(new Map(m.cards.map(([i, c]) => [i, c]))));
  });
}

/** Power cut from inside: SIGKILL, so nothing after this line (no handler, no flush) runs. */
function killSelf(state: TxState['name']): void {
  report({ type: 'killing', state });
  process.kill(process.pid, 'SIGKILL');
}

/** Kills this process `delayMs` from now, or after `hops` microtask turns when `delayMs` is 0. */
function killAfter(plan: NonNullable<ChildOptions['killIn']>): void {
  if (plan.delayMs > 0) {
    setTimeout(() => killSelf(plan.state), plan.delayMs);
    return;
  }
  let left = plan.hops;
  const hop = () => (left-- <= 0 ? killSelf(plan.state) : queueMicrotask(hop));
  queueMicrotask(hop);
}

/** Blocks the whole process, as a dead CPU would; the harness SIGKILLs it meanwhile. */
function freezeHere(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  throw new Error('power-loss child: frozen for 60 s without being killed');
}

async function main(o: ChildOptions): Promise<number> {
  const stages: Record<string, number> = {};
  const mark = (stage: string) => (stages[stage] = Math.round(performance.now()));
  mark('loaded');
  const now = () => new Date(o.clockBase + (Date.now() - o.clockOrigin));
  const logger = createRootLogger(o.logLevel, pino.destination({ dest: join(o.dataDir, 'agent.log'), sync: true, append: true, mode: 0o600 }));
  const config = parseConfig(
    {
      dataDir: o.dataDir,
      roster: { trustedKeys: [o.rosterPublicKey] },
      ledger: { keyFile: o.ledgerKeyFile },
      devices: {
        printer: { driver: 'escpos', columns: 48, transport: { type: 'tcp', host: '127.0.0.1', port: o.printerPort }, settleMs: 100 },
      },
      mqtt: { url: o.mqttUrl, reconnectMinMs: 200, reconnectMaxMs: 1000 },
    },
    'powerloss',
  );
  const preset = await receiveWorld();
  mark('world');

  const parts = await assembleCounter({ config, logger, now, swVersion: 'powerloss' });
  mark('assembled');
  const { counter } = parts;
  const devices = {
    card: simulated(parts.devices.card, SimCardReader, 'card reader'),
    sensor: simulated(parts.devices.sensor, SimFingerprintSensor, 'fingerprint sensor'),
    panel: simulated(parts.devices.panel, SimPanel, 'panel'),
  };

  let occurrences = 0;
  let killArmed = o.killIn !== null;
  const maybeKill = (state: TxState['name']) => {
    if (!killArmed || o.killIn?.state !== state) return;
    killArmed = false;
    killAfter(o.killIn);
  };
  let last = counter.runner.current().name;
  counter.runner.on('state', (s: TxState) => {
    if (s.name === last) return;
    last = s.name;
    report({ type: 'state', state: s.name, at: performance.now() });
    maybeKill(s.name);
    if (o.freeze && s.name === o.freeze.state && ++occurrences === o.freeze.occurrence) {
      report({ type: 'frozen', state: s.name });
      freezeHere();
    }
  });

  parts.start();
  mark('started');
  last = counter.runner.current().name;
  report({ type: 'ready', bootId: counter.status.bootId, state: last, pid: process.pid, stages, at: performance.now() });
  // A verdict resumed at boot is a stay in its state; an idle boot is not (no close happened).
  if (last !== 'IDLE') maybeKill(last);

  const residents = makeResidents(o.seed, o.residents);
  const world = new VirtualWorld(o.seed);
  const cards = new CardShelf(world, residents, preset, (index, card) => process.send?.({ type: 'card', index, card } satisfies ChildMessage));
  const day = new ResumableDay({
    counter,
    devices,
    world,
    residents,
    cards,
    batchId: `VIRTUAL-${o.seed}-${o.residents}`,
    siteId: config.site.id,
    rosterSigner: { key: createPrivateKey(readFileSync(o.rosterPrivateKey)), keyId: o.rosterPublicKey },
    now,
    log: (line) => logger.info({ module: 'powerloss' }, line),
    // The operator's hands at a verdict (0-300 ms, not seeded: the harness's kills are what is
    // drawn from the seed, the child's timing is not reproducible anyway).
    handoverMs: () => Math.floor(Math.random() * 300),
  });
  const result = await day.run({ finish: o.finish });
  if (!result) {
    // The day's work is done but this run does not end it: wait here for the harness's kill.
    report({ type: 'parked' });
    setInterval(() => {}, 1 << 30);
    await new Promise(() => {});
  }
  report({
    type: 'finished',
    printQueueDepth: result!.printQueueDepth,
    outboxDepth: result!.outboxDepth,
    reconciled: result!.reconciliation.ok,
    problems: result!.reconciliation.problems,
  });
  const failed = await parts.close((part, err) => logger.error({ err, part }, 'close failed'));
  return failed.length === 0 ? 0 : 1;
}

// Without its harness nobody will kill or read this run: do not linger as an orphan.
const orphaned = () => process.exit(1);
process.on('disconnect', orphaned);

main(JSON.parse(process.argv[2] ?? '{}') as ChildOptions).then(
  (code) => {
    process.off('disconnect', orphaned);
    process.disconnect?.();
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
