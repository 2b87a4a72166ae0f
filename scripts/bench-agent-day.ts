/**
 * Child of scripts/bench-agent.ts, run with plain node on the compiled JavaScript: the simulated
 * counter (agent/assemble.ts wiring, real ledger, real matcher worker) serves a scripted day and
 * reports resident memory and the software time of every counter step as one JSON line. The
 * residents' fingers live in a process of their own (bench-agent-remoteWorld.ts), so the memory
 * measured is the agent's (plus the small scripted-day player), as on a real counter.
 *
 *   node .bench-dist/scripts/bench-agent-day.js DATA_DIR RESIDENTS SEED
 */
import { readFileSync } from 'node:fs';
import { silentLogger } from '../drivers/logger.ts';
import { openSimCounter } from '../agent/sim/simCounter.ts';
import { DayPlayer } from '../test/harness/day.ts';
import { RemoteWorld } from './bench-agent-remoteWorld.ts';

function rssMb(): number {
  // VmRSS of the whole process: main thread, matcher worker and native heaps (SQLite).
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

const [dataDir, residents, seed] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
/** After a full collection, so garbage the synthetic world left behind is not counted. */
function settledRssMb(): number {
  globalThis.gc?.();
  return rssMb();
}

const world = new RemoteWorld(seed, dataDir);
const sim = await openSimCounter({ residents, seed, dataDir, logger: silentLogger, world });
const rssMbWorld = settledRssMb();
const steps: number[] = [];
sim.counter.runner.on('step', (s) => steps.push(s.ms));
const player = new DayPlayer(sim.counter, sim.devices, sim.world, () => {});
player.intakeAll(sim.played);
for (const p of sim.played) await player.serve(p, sim.played);
const closed = sim.counter.ledger.closedTransactions().length;
const rssMbAfterDay = settledRssMb();
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
// Typed arrays outside the JS heap (sensor frames, SQLite's buffers…).
const arrayBuffersMb = process.memoryUsage().arrayBuffers / 2 ** 20;
await sim.close();
await world.close();
process.stdout.write(`${JSON.stringify({ residents, closed, rssMbWorld, rssMbAfterDay, heapMb, arrayBuffersMb, steps })}\n`);
