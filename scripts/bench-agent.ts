/**
 * The agent's own figures on this machine, with plain node on the compiled JavaScript:
 *
 *   npm run bench:agent -- [--json OUT.json] [--starts N] [--residents N]
 *
 * - startToReadyMs: process start to the `counter ready` log line of `node …/agent/main.js` with
 *   the real config shape (systemd/config.template.json) on simulated devices and the virtual
 *   roster already imported (a first start imports it and is not counted): the agent, not the
 *   synthetic enrolment. Median of --starts runs.
 * - rssMbReady: the agent's resident memory (VmRSS, matcher worker included) at `counter ready`.
 * - rssMbAfterDay: resident memory of the simulated counter after serving a scripted day of
 *   --residents residents (every outcome of the rotation), before closing. The residents' side
 *   (synthetic master prints, the chips and impressions made from them) runs in a process of its
 *   own (bench-agent-remoteWorld.ts), as people are not in the agent's memory; the frames the
 *   sensor delivers still cross into the measured process. rssMbBeforeDay (roster imported, cards
 *   made, nothing served) and arrayBuffersMbAfterDay are printed beside it.
 * - stepMsMedian: median software time of one counter step (state machine, SQLite commit,
 *   effects; the runner's `step` event), so human and device waits are not in it.
 *
 * Both run with the systemd unit's Environment= lines (NODE_ENV, MALLOC_ARENA_MAX).
 *
 * Targets (issue 18): start ≤ 3000 ms, RSS ≤ 120 MB after the day, step ≤ 50 ms median.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench-dist');
const TARGETS = { startToReadyMs: 3000, rssMbAfterDay: 120, stepMsMedian: 50 };

const { values } = parseArgs({
  options: { json: { type: 'string' }, starts: { type: 'string', default: '3' }, residents: { type: 'string', default: '50' } },
});
const starts = Number(values.starts);
const residents = Number(values.residents);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function rssMbOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/** The systemd unit's Environment= lines, so the agent is measured as the box runs it. */
const UNIT_ENV = Object.fromEntries(
  [...readFileSync(join(ROOT, 'systemd/ektp-agent.service'), 'utf8').matchAll(/^Environment=([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]),
);
const ENV = { ...process.env, ...UNIT_ENV };

/** One start of the agent: ms from spawn to `counter ready`, and its RSS then. */
async function startOnce(config: string): Promise<{ ms: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', join(OUT, 'agent/main.js'), '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: ENV,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ready: { ms: number; rssMb: number } | null = null;
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.includes('"msg":"counter ready"')) continue;
    ready = { ms: performance.now() - t0, rssMb: rssMbOf(child.pid!) };
    break;
  }
  child.kill('SIGTERM');
  const code = await exited;
  if (!ready) throw new Error('the agent exited before `counter ready`');
  if (code !== 0) throw new Error(`the agent stopped with ${code ?? child.signalCode}`);
  return ready;
}

console.log('compiling (tsconfig.bench.json → .bench-dist/) …');
const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.bench.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(1);

const work = mkdtempSync(join(tmpdir(), 'bench-agent-'));
try {
  const template = JSON.parse(readFileSync(join(ROOT, 'systemd/config.template.json'), 'utf8')) as Record<string, unknown>;
  const sim = { driver: 'sim' };
  const config = join(work, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({ ...template, dataDir: join(work, 'data'), devices: { cardReader: sim, fingerprint: sim, panel: sim, printer: { driver: 'sim', columns: 32 } } }),
  );

  const first = await startOnce(config);
  console.log(`first start (imports the virtual roster, not counted): ${Math.round(first.ms)} ms`);
  const runs = [];
  for (let i = 0; i < starts; i++) runs.push(await startOnce(config));
  const startToReadyMs = Math.round(median(runs.map((r) => r.ms)));
  const rssMbReady = round(median(runs.map((r) => r.rssMb)));
  console.log(`start to ready: ${runs.map((r) => Math.round(r.ms)).join(', ')} ms; RSS at ready ${runs.map((r) => round(r.rssMb)).join(', ')} MB`);

  console.log(`serving a day of ${residents} residents …`);
  mkdirSync(join(work, 'day'));
  const day = spawnSync(process.execPath, ['--enable-source-maps', '--expose-gc', join(OUT, 'scripts/bench-agent-day.js'), join(work, 'day'), String(residents), '7'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
    env: ENV,
  });
  if (day.status !== 0) throw new Error(`the day failed (${day.status})`);
  const d = JSON.parse(day.stdout.trim().split('\n').pop()!) as { closed: number; rssMbWorld: number; rssMbAfterDay: number; heapMb: number; arrayBuffersMb: number; steps: number[] };

  const result = {
    startToReadyMs,
    rssMbReady,
    rssMbAfterDay: round(d.rssMbAfterDay),
    rssMbBeforeDay: round(d.rssMbWorld),
    heapMbAfterDay: round(d.heapMb),
    arrayBuffersMbAfterDay: round(d.arrayBuffersMb),
    stepMsMedian: round(median(d.steps), 2),
    stepMsP95: round([...d.steps].sort((a, b) => a - b)[Math.floor(d.steps.length * 0.95)], 2),
    steps: d.steps.length,
    residents,
    transactionsClosed: d.closed,
    node: process.version,
    unitEnvironment: UNIT_ENV,
    targets: TARGETS,
  };
  for (const [k, target] of Object.entries(TARGETS)) {
    const v = result[k as keyof typeof TARGETS];
    console.log(`${k}: ${v} (target ≤ ${target}) ${v <= target ? 'ok' : 'MISS'}`);
  }
  console.log(`rssMbReady: ${rssMbReady}; steps measured: ${d.steps.length} (p95 ${result.stepMsP95} ms); transactions closed: ${d.closed}`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
