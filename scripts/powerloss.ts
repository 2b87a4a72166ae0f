/**
 * Power-loss test of the counter agent (issue 9 item 5, issue 2 crash test):
 *   npm run test:powerloss -- --kills 100 --json OUT.json [--seed S] [--residents N] [--keep DIR]
 * Runs the agent on the simulated counter in a child process through a scripted day, SIGKILLs it
 * at --kills seeded random times, in every transaction state and at least KILLS_PER_100 per 100 in
 * HANDOVER, RETURN_DOCS and DISPUTE_REVIEW, with freeze kills capped (harness.ts); restarts it on
 * the same SQLite file each time and lets the last run finish the day. Slips go through the real
 * ESC/POS driver into a TCP printer emulator here; events through a real mosquitto started here.
 * Prints the JSON report and exits 1 unless every count is 0, the ledger reconciles and the kill
 * mix holds; a run that hangs fails it too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkMix, runPowerLoss, type PowerLossReport } from '../test/harness/powerloss/harness.ts';
import { startMosquitto } from '../test/helpers/mosquitto.ts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    // 30: RETURN_DOCS is reached by 3 scenarios in 10 and a kill that misses it closes the resident;
    // with 20 the seed-1 day ran out at kill 66 before 8 kills in RETURN_DOCS.
    residents: { type: 'string', default: '30' },
    json: { type: 'string' },
    keep: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run test:powerloss -- [--kills N] [--seed S] [--residents N] [--json OUT.json] [--keep DIR]');
  process.exit(0);
}
const kills = Number(values.kills);
const seed = Number(values.seed);
const residents = Number(values.residents);
for (const [name, v, min] of [['kills', kills, 8], ['seed', seed, 0], ['residents', residents, 5]] as const) {
  if (!Number.isInteger(v) || v < min) {
    console.error(`--${name} must be a whole number, at least ${min}`);
    process.exit(2);
  }
}

/** The counts that must all be zero for the agent to have survived every cut. */
export function failures(r: PowerLossReport): string[] {
  const zero = [
    'custodyRowsLost',
    'custodyRowsDuplicated',
    'custodyChainBreaks',
    'slipsPrintedTwiceUnmarked',
    'slipsMissing',
    'slipsUnexpected',
    'eventsLost',
    'eventsDuplicated',
    'eventsUnexpected',
  ] as const;
  const bad: string[] = zero.filter((k) => r[k] !== 0).map((k) => `${k} = ${r[k]}`);
  if (!r.reconciles) bad.push('ledger does not reconcile');
  bad.push(...checkMix(r));
  return bad;
}

const workDir = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'ektp-powerloss-'));
const broker = await startMosquitto();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // The agent children exit when this process goes (their IPC channel closes); the broker does not.
  process.once(signal, () => void broker.stop().finally(() => process.exit(130)));
}
let report: PowerLossReport;
try {
  report = await runPowerLoss({ kills, seed, residents, mqttUrl: broker.url, workDir, progress: (line) => console.error(line) });
} finally {
  await broker.stop();
  if (!values.keep) rmSync(workDir, { recursive: true, force: true });
}
const json = JSON.stringify(report, null, 2);
if (values.json) writeFileSync(values.json, json + '\n');
console.log(json);
const bad = failures(report);
if (bad.length > 0) {
  console.error(`power-loss test FAILED: ${bad.join('; ')}`);
  process.exit(1);
}
console.error(`power-loss test passed: ${report.kills} kills, ${report.transactions.closed} transactions, ${report.timeMs} ms`);
