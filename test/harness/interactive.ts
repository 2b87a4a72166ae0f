import { join } from 'node:path';
import pino from 'pino';
import { createRootLogger } from '../../agent/logging.ts';
import { runSimConsole } from '../../agent/sim/console.ts';
import { openSimCounter } from '../../agent/sim/simCounter.ts';
import { vpcdSlot } from './vpcdSlot.ts';

/** `npm run demo -- --interactive`: the simulated counter driven from the keyboard. */
export async function runInteractive(opts: { residents: number; seed: number; out: string; cardPath?: 'sim' | 'pcsc' }): Promise<void> {
  const logger = createRootLogger('info', pino.destination({ dest: join(opts.out, 'agent.log'), sync: true, mode: 0o600 }));
  console.log(`Menyiapkan ${opts.residents} penduduk virtual… (log: ${join(opts.out, 'agent.log')})`);
  const sim = await openSimCounter({ residents: opts.residents, seed: opts.seed, dataDir: opts.out, logger, cardSlot: opts.cardPath === 'pcsc' ? await vpcdSlot() : undefined });
  try {
    await runSimConsole(sim.counter, sim.devices, sim, { input: process.stdin, write: (s) => process.stdout.write(s) });
  } finally {
    await sim.close();
  }
}
