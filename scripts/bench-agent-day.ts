/**
 * Child of scripts/bench-agent.ts, run with plain node on the compiled JavaScript: the simulated
 * counter (agent/assemble.ts wiring, real ledger, real matcher worker) serves a scripted day and
 * reports resident memory and the software time of every counter step as one JSON line.
 *
 *   node .bench-dist/scripts/bench-agent-day.js DATA_DIR RESIDENTS SEED
 */
import { readFileSync } from 'node:fs';
import { silentLogger } from '../drivers/logger.ts';
import { openSimCounter } from '../agent/sim/simCounter.ts';
import { DayPlayer } from '../test/harness/day.ts';

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

const sim = await openSimCounter({ residents, seed, dataDir, logger: silentLogger });
const rssMbWorld = settledRssMb();
const steps: number[] = [];
sim.counter.runner.on('step', (s) => steps.push(s.ms));
const player = new DayPlayer(sim.counter, sim.devices, sim.world, () => {});
player.intakeAll(sim.played);
for (const p of sim.played) await player.serve(p, sim.played);
const closed = sim.counter.ledger.closedTransactions().length;
const rssMbAfterDay = settledRssMb();
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
// Typed arrays outside the JS heap: mostly the synthetic world's master prints (100 fingers).
const arrayBuffersMb = process.memoryUsage().arrayBuffers / 2 ** 20;
await sim.close();
process.stdout.write(`${JSON.stringify({ residents, closed, rssMbWorld, rssMbAfterDay, heapMb, arrayBuffersMb, steps })}\n`);
