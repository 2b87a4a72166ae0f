import { join } from 'node:path';
import pino from 'pino';
import { createRootLogger } from '../logging.ts';
import { runSimConsole } from './console.ts';
import { openSimCounter } from './simCounter.ts';

/** `npm run demo -- --interactive`: the simulated counter driven from the keyboard. */
export async function runInteractive(opts: { residents: number; seed: number; out: string; cardPath?: 'sim' | 'pcsc' }): Promise<void> {
  const logger = createRootLogger('info', pino.destination({ dest: join(opts.out, 'agent.log'), sync: true, mode: 0o600 }));
  console.log(`Menyiapkan ${opts.residents} penduduk virtual… (log: ${join(opts.out, 'agent.log')})`);
  const sim = await openSimCounter({ residents: opts.residents, seed: opts.seed, dataDir: opts.out, logger, cardPath: opts.cardPath });
  try {
    await runSimConsole(sim.counter, sim.devices, sim, { input: process.stdin, write: (s) => process.stdout.write(s) });
  } finally {
    await sim.close();
  }
}
