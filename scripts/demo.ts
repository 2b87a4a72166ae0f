/**
 * A scripted day at the simulated counter:
 *   npm run demo -- --residents 30 --seed 1 --out DIR
 * writes DIR/summary.json (outcomes, reconciliation), DIR/slips/*.txt (every slip as printed),
 * DIR/ledger.sqlite and DIR/agent.log. `--interactive` instead maps keys to the panel buttons.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDay } from '../test/harness/runDay.ts';
import { runInteractive } from '../test/harness/interactive.ts';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'demo-out' },
    interactive: { type: 'boolean', default: false },
    card: { type: 'string', default: 'sim' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run demo -- [--residents N] [--seed S] [--out DIR] [--interactive] [--card sim|pcsc]');
  process.exit(0);
}
const residents = Number(values.residents);
const seed = Number(values.seed);
if (!Number.isInteger(residents) || residents < 1 || residents > 500) {
  console.error('--residents must be a whole number from 1 to 500');
  process.exit(2);
}
if (!Number.isInteger(seed) || seed < 0) {
  console.error('--seed must be a non-negative whole number');
  process.exit(2);
}
if (values.card !== 'sim' && values.card !== 'pcsc') {
  console.error('--card must be sim (simulated reader) or pcsc (private pcscd + vpcd, needs root)');
  process.exit(2);
}
const cardPath = values.card;
const out = resolve(values.out);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'slips'), { recursive: true, mode: 0o700 });

try {
  if (values.interactive) {
    await runInteractive({ residents, seed, out, cardPath });
  } else {
    const summary = await runDay({ residents, seed, out, cardPath, progress: (line) => console.log(line) });
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    console.log(`outcomes: ${JSON.stringify(summary.outcomes)}`);
    console.log(`reconciliation ok: ${summary.reconciliation.ok}`);
    console.log(`wrote ${out}/summary.json, ${summary.slips} slips, ledger.sqlite, agent.log`);
    if (!summary.reconciliation.ok) process.exitCode = 1;
  }
} catch (err) {
  console.error(`demo failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
}
