import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { officeReport, type OfficeReport } from '../../agent/office/report.ts';
import { prng } from '../../agent/sim/residents.ts';
import { startMosquitto } from '../helpers/mosquitto.ts';
import { DESK } from './office.ts';

export interface OfficeBenchOptions {
  readonly counters: number;
  readonly residents: number;
  readonly kills: number;
  readonly brokerRestarts: number;
  readonly seed: number;
  readonly dir: string;
  readonly timeoutMs: number;
  readonly progress?: (line: string) => void;
}

export interface OfficeBenchResult {
  readonly counters: number;
  readonly residents: number;
  /** False when the run hit timeoutMs with tickets still open (they count as lost). */
  readonly finished: boolean;
  readonly kills: number;
  /** Kills that landed while a resident still waited for a ticket or a ticket was still open. */
  readonly killsWhileServing: number;
  readonly killsByBox: Readonly<Record<string, number>>;
  readonly brokerRestarts: number;
  readonly ticketsIssued: number;
  readonly ticketsServedTwice: number;
  readonly ticketsLost: number;
  readonly custodyItemsWithoutHolder: number;
  readonly custodyItemsWithTwoHolders: number;
  readonly movesUnacknowledged: number;
  readonly reconciles: boolean;
  readonly ticketsByState: Readonly<Record<string, number>>;
  readonly panggilToCalledMs: { readonly median: number | null; readonly p95: number | null; readonly calls: number };
  readonly wallSeconds: number;
  readonly report: OfficeReport;
}

const FINAL = new Set(['served', 'no_show', 'cancelled']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An office in processes: mosquitto, the intake desk and `counters` counters, each its own
 * process on its own ledger. At random moments one process gets SIGKILL and is started again;
 * the broker restarts `brokerRestarts` times. The moments are drawn on the day's progress (the
 * number of ended tickets), not on the clock, so every kill lands while residents are still
 * being served however fast or slow the machine is. When every resident has a ticket and every ticket
 * has ended, the boxes stop cleanly and the office reconciliation is read from their ledgers.
 */
export async function runOfficeBench(o: OfficeBenchOptions): Promise<OfficeBenchResult> {
  const started = Date.now();
  const log = o.progress ?? (() => undefined);
  const broker = await startMosquitto();
  const rand = prng(o.seed * 7919 + 1);
  const ids = [DESK, ...Array.from({ length: o.counters }, (_, i) => `loket-${i + 1}`)];
  const procs = new Map<string, ChildProcess>();
  const spawnBox = (id: string) => {
    const child = fork(new URL('./officeBox.ts', import.meta.url).pathname, [
      '--role', id === DESK ? 'intake' : 'counter', '--id', id, '--dir', o.dir, '--broker', broker.url, '--residents', String(o.residents), '--seed', String(o.seed),
    ], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    procs.set(id, child);
  };
  const killsByBox: Record<string, number> = {};
  let kills = 0;
  let killsWhileServing = 0;
  let restarts = 0;
  let finished = true;
  try {
    for (const id of ids) spawnBox(id);
    const deskDb = () => (existsSync(join(o.dir, DESK, 'ledger.sqlite')) ? new Database(join(o.dir, DESK, 'ledger.sqlite'), { readonly: true }) : null);
    const progress = (): { issued: number; open: number } => {
      const db = deskDb();
      if (!db) return { issued: 0, open: 1 };
      try {
        const rows = db.prepare('SELECT state, COUNT(*) AS n FROM tickets GROUP BY state').all() as { state: string; n: number }[];
        const issued = rows.reduce((s, r) => s + r.n, 0);
        return { issued, open: rows.filter((r) => !FINAL.has(r.state)).reduce((s, r) => s + r.n, 0) };
      } catch {
        return { issued: 0, open: 1 };
      } finally {
        db.close();
      }
    };
    const restartAt = new Set(Array.from({ length: o.brokerRestarts }, (_, i) => Math.round(((i + 1) * o.kills) / (o.brokerRestarts + 1))));
    // Kill k fires once more than killAt[k] tickets have ended: uniform over the day, and below
    // residents - 1, so at least one ticket is still open when it fires.
    const killAt = Array.from({ length: o.kills }, () => rand() * Math.max(0, o.residents - 1)).sort((x, y) => x - y);
    for (;;) {
      const p = progress();
      if (Date.now() - started > o.timeoutMs) {
        // Reported, not thrown: a stuck ticket is exactly what the figures must show.
        log(`did not finish within ${o.timeoutMs} ms: ${JSON.stringify(p)}`);
        finished = false;
        break;
      }
      const working = p.issued < o.residents || p.open > 0;
      if (!working && kills >= o.kills) break;
      const ended = p.issued - p.open;
      if (kills < o.kills && ended > killAt[kills]) {
        const id = ids[Math.floor(rand() * ids.length)];
        procs.get(id)?.kill('SIGKILL');
        await new Promise((r) => procs.get(id)?.once('exit', r));
        kills++;
        if (working) killsWhileServing++;
        killsByBox[id] = (killsByBox[id] ?? 0) + 1;
        spawnBox(id);
        if (restartAt.has(kills) && restarts < o.brokerRestarts) {
          restarts++;
          await broker.restart(1000);
          log(`broker restarted (${restarts})`);
        }
        log(`kill ${kills}/${o.kills}: ${id}; tickets ${p.issued}/${o.residents}, open ${p.open}`);
      }
      await sleep(100);
    }
    // Everything ended at the desk; let the counters' journals reach it, then stop cleanly.
    await sleep(3000);
    for (const [, child] of procs) child.kill('SIGTERM');
    await Promise.all([...procs.values()].map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  } finally {
    for (const [, child] of procs) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await broker.stop();
  }

  const boxes = ids.map((device) => ({ device, db: new Database(join(o.dir, device, 'ledger.sqlite'), { readonly: true }) }));
  try {
    const report = officeReport(boxes, DESK);
    const latencies = ids
      .slice(1)
      .flatMap((id) => (existsSync(join(o.dir, `latency-${id}.txt`)) ? readFileSync(join(o.dir, `latency-${id}.txt`), 'utf8').trim().split('\n').map(Number) : []))
      .sort((x, y) => x - y);
    const q = (f: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] : null);
    const byState = report.tickets.byState;
    const issued = Object.values(byState).reduce((s, n) => s + n, 0);
    return {
      counters: o.counters,
      residents: o.residents,
      finished,
      kills,
      killsWhileServing,
      killsByBox,
      brokerRestarts: restarts,
      ticketsIssued: issued,
      ticketsServedTwice: report.tickets.servedTwice.length,
      // Lost: a resident without a ticket, or a ticket that neither ended nor waits (called, leased to nobody).
      ticketsLost: o.residents - issued + (byState.called ?? 0),
      custodyItemsWithoutHolder: report.withoutHolder.length,
      custodyItemsWithTwoHolders: report.withTwoHolders.length,
      movesUnacknowledged: report.unacknowledged.length,
      reconciles: report.ok,
      ticketsByState: byState,
      panggilToCalledMs: { median: q(0.5), p95: q(0.95), calls: latencies.length },
      wallSeconds: Math.round((Date.now() - started) / 1000),
      report,
    };
  } finally {
    for (const b of boxes) b.db.close();
  }
}
