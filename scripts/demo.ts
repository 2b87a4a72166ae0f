/**
 * A scripted day at the simulated counter:
 *   npm run demo -- --residents 30 --seed 1 --out DIR
 * writes DIR/summary.json (outcomes, reconciliation), DIR/slips/*.txt (every slip as printed),
 * DIR/ledger.sqlite and DIR/agent.log. `--interactive` instead maps keys to the panel buttons.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    office: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npm run demo -- [--residents N] [--seed S] [--out DIR] [--interactive] [--card sim|pcsc] [--office COUNTERS]');
  console.log('  --office 2: an intake desk and two counters sharing one queue over a private mosquitto');
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
// The ledger, slips and berita acara name (virtual) residents: 0600 files, 0700 directories.
process.umask(0o077);
// Only a directory this demo made (it leaves DEMO_MARK in it) is cleared for a new run: `--out ~`
// or `--out /var/lib/ektp-agent` must not lose what is there.
const DEMO_MARK = '.ektp-demo-out';
if (existsSync(out) && readdirSync(out).length > 0) {
  if (!existsSync(join(out, DEMO_MARK))) {
    console.error(`${out} is not empty and was not made by the demo; give an empty or new directory`);
    process.exit(2);
  }
  rmSync(out, { recursive: true, force: true });
}
mkdirSync(join(out, 'slips'), { recursive: true, mode: 0o700 });
writeFileSync(join(out, DEMO_MARK), 'made by npm run demo; cleared by the next run\n');

try {
  if (values.office !== undefined) {
    const counters = Number(values.office);
    if (!Number.isInteger(counters) || counters < 1 || counters > 8) throw new Error('--office must be a number of counters from 1 to 8');
    const { runOfficeDay } = await import('../test/harness/officeDay.ts');
    const { served, report } = await runOfficeDay({ residents, seed, counters, out, progress: (line) => console.log(line) });
    console.log(`tickets: ${JSON.stringify(report.tickets.byState)}; holders: ${JSON.stringify(report.holders)}`);
    console.log(`office reconciliation ok: ${report.ok}`);
    console.log(`wrote ${out}/office-report.json, the ledgers (meja-1/, ${Object.keys(served).join('/, ')}/) and agent.log`);
    if (!report.ok) process.exitCode = 1;
  } else if (values.interactive) {
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
  const code = (err as { code?: unknown }).code;
  console.error(`demo failed: ${(err as Error).message ?? String(err)}${typeof code === 'string' ? ` (${code})` : ''}`);
  process.exitCode = 1;
}
