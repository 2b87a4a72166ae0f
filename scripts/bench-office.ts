/**
 * `npm run bench:office -- --counters 3 --residents 200 --kills 50 --json OUT.json`
 *
 * A whole office in processes on a real mosquitto (test/harness/officeBench.ts): the intake desk
 * and N counters, SIGKILL of a random box at random moments, two broker restarts. Prints the
 * tickets served twice or lost, custody items without or with two holders, whether the office
 * reconciliation balances, and the PANGGIL-to-called latency.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runOfficeBench } from '../test/harness/officeBench.ts';

const { values } = parseArgs({
  options: {
    counters: { type: 'string', default: '3' },
    residents: { type: 'string', default: '200' },
    kills: { type: 'string', default: '50' },
    'broker-restarts': { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '3600' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'ektp-bench-office-'));
const r = await runOfficeBench({
  counters: Number(values.counters),
  residents: Number(values.residents),
  kills: Number(values.kills),
  brokerRestarts: Number(values['broker-restarts']),
  seed: Number(values.seed),
  dir,
  timeoutMs: Number(values['timeout-s']) * 1000,
  progress: (l) => console.error(l),
});
const { report, ...figures } = r;
console.log(JSON.stringify(figures, null, 2));
if (values.json) writeFileSync(values.json, JSON.stringify({ ...figures, unacknowledged: report.unacknowledged, holders: report.holders }, null, 2) + '\n');
if (values.keep) console.error(`ledgers kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
const ok =
  r.finished && r.reconciles && r.ticketsServedTwice === 0 && r.ticketsLost === 0 &&
  r.custodyItemsWithoutHolder === 0 && r.custodyItemsWithTwoHolders === 0 && r.killsWhileServing === Number(values.kills);
process.exitCode = ok ? 0 : 1;
