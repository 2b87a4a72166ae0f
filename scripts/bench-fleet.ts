/**
 * Fleet load benchmark: a real mosquitto, N simulated counters (real StatusPublisher + SQLite
 * outbox each, many MQTT clients per process) and one fleet monitor in its own process.
 *
 *   npm run bench:fleet -- --counters 1000 --seconds 60 --json out/bench-fleet.json
 *
 * Each counter serves a resident every --tx-interval-s (default 30 s, jittered): a verification and
 * a handover event, a now_serving update and a metrics update; health is retained every 60 s and
 * 1 % of counters run out of paper once. Figures: messages per second published by
 * the counters (all topics), events lost (must be
 * 0) and duplicated as seen by the monitor, and the monitor's CPU and RSS. Run it with nice -n 10.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { FleetMonitor } from '../agent/monitor/monitor.ts';
import { StatusPublisher } from '../agent/status/publisher.ts';
import type { DeviceHealth } from '../agent/status/types.ts';
import { silentLogger } from '../drivers/logger.ts';
import { startMosquitto } from '../test/helpers/mosquitto.ts';

const SELF = new URL(import.meta.url).pathname;
const EXEC_ARGV = ['--import', 'tsx'];

type ToParent =
  | { kind: 'ready'; connected: number }
  | { kind: 'done'; published: number; sent: number; perDevice: Record<string, number>; cpuMs: number; rssMb: number; undrained: number }
  | { kind: 'monitor'; unique: number; duplicates: number; gaps: number; counters: number; messages: number; perDevice: Record<string, number>; cpuPercent: number; rssMb: number; peakRssMb: number; alerts: number };
type ToChild = { kind: 'measure' } | { kind: 'finish' } | { kind: 'report' };

const send = (m: ToParent) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = () => Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;

function onMessage(handler: (m: ToChild) => void): void {
  process.on('message', (m) => handler(m as ToChild));
}

/** Child role: `count` counters starting at `from`. */
async function runCounters(url: string, from: number, count: number, txIntervalS: number): Promise<void> {
  interface SimCounter {
    pub: StatusPublisher;
    device: string;
    timer?: NodeJS.Timeout;
    state: { paperOut: boolean; berhasil: number; gagal: number; queue: number };
  }
  const pubs: SimCounter[] = [];
  for (let i = from; i < from + count; i++) {
    const site = `site-${String(Math.floor(i / 10)).padStart(3, '0')}`;
    const device = `loket-${String(i % 10).padStart(2, '0')}`;
    const state = { paperOut: false, berhasil: 0, gagal: 0, queue: 5 };
    const health = (): DeviceHealth => ({
      reader: { status: 'ok', code: null },
      sam: 'ok',
      sensor: { status: 'ok', code: null },
      printer: { online: true, paper: state.paperOut ? 'out' : 'ok', coverOpen: false, code: state.paperOut ? 'PAPER_OUT' : null },
      clockSynced: true,
      diskFreePct: 70,
      cpuTempC: 50,
      counterState: 'idle',
    });
    const pub = new StatusPublisher({
      config: { url, keepaliveS: 30, reconnectMinMs: 1000, reconnectMaxMs: 10_000, healthIntervalS: 60, metricsIntervalS: 300 },
      site,
      device,
      db: new Database(':memory:'),
      logger: silentLogger,
      info: () => ({
        swVersion: '0.1.0', gitHash: null, hwModel: 'Raspberry Pi 4', readerModel: 'ACS ACR39U', samPresent: true,
        fpSensorModel: 'sim', matcher: { name: 'ektp-matcher', version: '1', threshold: 40, fmr: 1e-4 },
        printer: { model: 'TM-T82', paperMm: 58, columns: 32 }, configHash: null, driverMode: 'sim',
      }),
      health,
      metrics: () => ({
        queueWaiting: state.queue, served: state.berhasil + state.gagal, berhasil: state.berhasil, gagal: state.gagal,
        disputed: 0, cancelled: 0, avgServiceSeconds: 180, fpAttemptsHistogram: { '1': state.berhasil },
      }),
    });
    pubs.push({ pub, device: `${site}/${device}`, state });
    pub.start();
    // Spread the connects so 1000 SYNs do not land in the same millisecond.
    if (i % 25 === 0) await sleep(20);
  }
  await Promise.all(pubs.map((p) => p.pub.waitConnected(60_000)));
  send({ kind: 'ready', connected: pubs.filter((p) => p.pub.brokerState === 'connected').length });

  let published = 0;
  const perDevice: Record<string, number> = {};
  let cpuStart = process.cpuUsage();
  let sentStart = 0;
  const sentNow = () => pubs.reduce((n, p) => n + p.pub.messagesSent, 0);
  const serve = (p: SimCounter) => {
    const s = p.state;
    const ok = Math.random() < 0.93;
    const txId = randomUUID();
    const at = new Date().toISOString();
    p.pub.nowServing({ counter: p.device.slice(-8), queueNumber: `A-${String(s.berhasil + s.gagal + 1).padStart(3, '0')}`, at });
    p.pub.publishEvent({
      type: 'verification', txId, result: ok ? 'berhasil' : 'gagal', reason: ok ? null : 'fp_no_match',
      attempts: ok ? 1 : 4, finger: 'right_index', durationMs: 20_000, code: null, at,
    });
    published++;
    if (ok) {
      p.pub.publishEvent({ type: 'handover', txId, result: 'berhasil', reason: null, attempts: 1, finger: 'right_index', durationMs: 150_000, code: null, at });
      published++;
      s.berhasil++;
    } else {
      s.gagal++;
    }
    perDevice[p.device] = (perDevice[p.device] ?? 0) + (ok ? 2 : 1);
    if (Math.random() < 0.01 && !s.paperOut) {
      s.paperOut = true;
      p.pub.healthChanged();
      setTimeout(() => {
        s.paperOut = false;
        p.pub.healthChanged();
      }, 10_000).unref();
    }
  };
  onMessage(async (m) => {
    if (m.kind === 'measure') {
      cpuStart = process.cpuUsage();
      sentStart = sentNow();
      for (const p of pubs) {
        const first = Math.random() * txIntervalS * 1000;
        p.timer = setTimeout(function tick() {
          serve(p);
          p.timer = setTimeout(tick, txIntervalS * 1000 * (0.5 + Math.random()));
        }, first);
      }
    } else if (m.kind === 'finish') {
      for (const p of pubs) clearTimeout(p.timer);
      const sent = sentNow() - sentStart;
      // Let every outbox drain before the clean shutdown, then count what is left.
      for (let i = 0; i < 100 && pubs.some((p) => p.pub.outbox.depth() > 0); i++) await sleep(100);
      const undrained = pubs.reduce((n, p) => n + p.pub.outbox.depth(), 0);
      const cpu = process.cpuUsage(cpuStart);
      await Promise.all(pubs.map((p) => p.pub.stop()));
      send({ kind: 'done', published, sent, perDevice, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: rssMb(), undrained });
    }
  });
}

/** Child role: the fleet monitor, measured. */
async function runMonitor(url: string): Promise<void> {
  const monitor = new FleetMonitor({ url, base: 'ektp/v1', site: null });
  await monitor.start();
  let peak = rssMb();
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 1000);
  let cpuStart = process.cpuUsage();
  let wallStart = Date.now();
  let messagesAtStart = 0;
  send({ kind: 'ready', connected: 1 });
  onMessage(async (m) => {
    if (m.kind === 'measure') {
      cpuStart = process.cpuUsage();
      wallStart = Date.now();
      messagesAtStart = monitor.fleet.messages;
    } else if (m.kind === 'report') {
      const cpu = process.cpuUsage(cpuStart);
      const wall = Date.now() - wallStart;
      clearInterval(sampler);
      const t = monitor.fleet.totals();
      const perDevice: Record<string, number> = {};
      for (const v of monitor.fleet.views()) perDevice[`${v.site}/${v.device}`] = v.events.unique;
      send({
        kind: 'monitor',
        ...t,
        messages: monitor.fleet.messages - messagesAtStart,
        perDevice,
        cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10,
        rssMb: rssMb(),
        peakRssMb: Math.max(peak, rssMb()),
        alerts: monitor.fleet.alerts(Date.now()).length,
      });
      await monitor.stop();
      process.exit(0);
    }
  });
}

function waitFor<K extends ToParent['kind']>(child: ChildProcess, kind: K, timeoutMs: number): Promise<Extract<ToParent, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${child.pid} did not send ${kind} within ${timeoutMs} ms`)), timeoutMs);
    const onMsg = (m: ToParent) => {
      if (m.kind === kind) {
        clearTimeout(timer);
        child.off('message', onMsg);
        resolve(m as Extract<ToParent, { kind: K }>);
      }
    };
    child.on('message', onMsg);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`child ${child.pid} exited with ${code}`));
    });
  });
}

function procStat(pid: number | undefined): { rssMb: number; cpuTicks: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { rssMb: Math.round(rss * 10) / 10, cpuTicks: Number(stat[11]) + Number(stat[12]) };
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'main' },
      url: { type: 'string' },
      from: { type: 'string', default: '0' },
      count: { type: 'string', default: '0' },
      counters: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '60' },
      procs: { type: 'string', default: '4' },
      'tx-interval-s': { type: 'string', default: '30' },
      json: { type: 'string' },
    },
  });
  const txIntervalS = Number(values['tx-interval-s']);
  if (values.role === 'counters') {
    await runCounters(values.url!, Number(values.from), Number(values.count), txIntervalS);
    return -1;
  }
  if (values.role === 'monitor') {
    await runMonitor(values.url!);
    return -1;
  }

  const counters = Number(values.counters);
  const seconds = Number(values.seconds);
  const procs = Math.max(1, Math.min(Number(values.procs), counters));
  if (!Number.isInteger(counters) || counters < 1 || !(seconds > 0)) {
    console.error('usage: bench-fleet --counters N --seconds S [--procs P] [--tx-interval-s T] [--json OUT]');
    return 2;
  }
  const broker = await startMosquitto({ extra: ['max_queued_messages 100000'] });
  const children: ChildProcess[] = [];
  try {
    console.error(`mosquitto on ${broker.url}; starting monitor and ${counters} counters in ${procs} processes`);
    const spawnRole = (args: string[]) => {
      const c = fork(SELF, args, { execArgv: EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(c);
      return c;
    };
    const monitor = spawnRole(['--role', 'monitor', '--url', broker.url]);
    await waitFor(monitor, 'ready', 30_000);
    const t0 = Date.now();
    const per = Math.ceil(counters / procs);
    const workers: ChildProcess[] = [];
    for (let i = 0; i < procs; i++) {
      const from = i * per;
      const count = Math.min(per, counters - from);
      if (count > 0) workers.push(spawnRole(['--role', 'counters', '--url', broker.url, '--from', String(from), '--count', String(count), '--tx-interval-s', String(txIntervalS)]));
    }
    const ready = await Promise.all(workers.map((w) => waitFor(w, 'ready', 180_000)));
    const connected = ready.reduce((n, r) => n + r.connected, 0);
    const connectSeconds = (Date.now() - t0) / 1000;
    console.error(`${connected}/${counters} counters connected in ${connectSeconds.toFixed(1)} s; measuring for ${seconds} s`);

    const broker0 = procStat(broker.pid());
    const m0 = Date.now();
    for (const c of [monitor, ...workers]) c.send({ kind: 'measure' } satisfies ToChild);
    await sleep(seconds * 1000);
    const broker1 = procStat(broker.pid());
    const wall = (Date.now() - m0) / 1000;
    const doneP = workers.map((w) => waitFor(w, 'done', 120_000));
    for (const w of workers) w.send({ kind: 'finish' } satisfies ToChild);
    const done = await Promise.all(doneP);
    // Counted when the workers stop generating, i.e. over the measured window (plus the final drain).
    const sent = done.reduce((n, d) => n + d.sent, 0);
    await sleep(2000);
    const monP = waitFor(monitor, 'monitor', 30_000);
    monitor.send({ kind: 'report' } satisfies ToChild);
    const mon = await monP;

    const published = done.reduce((n, d) => n + d.published, 0);
    let lost = 0;
    for (const d of done) for (const [dev, n] of Object.entries(d.perDevice)) lost += Math.max(0, n - (mon.perDevice[dev] ?? 0));
    const clk = 100; // USER_HZ on Linux
    const result = {
      counters,
      connected,
      seconds,
      txIntervalS,
      connectSeconds: Math.round(connectSeconds * 10) / 10,
      messagesPerSecond: Math.round((sent / wall) * 10) / 10,
      monitorMessagesPerSecond: Math.round((mon.messages / wall) * 10) / 10,
      eventsPublished: published,
      eventsReceived: mon.unique,
      eventsLost: lost,
      eventsDuplicated: mon.duplicates,
      eventGaps: mon.gaps,
      outboxUndrained: done.reduce((n, d) => n + d.undrained, 0),
      monitor: { cpuPercent: mon.cpuPercent, rssMb: mon.rssMb, peakRssMb: mon.peakRssMb, countersSeen: mon.counters, alertsAtEnd: mon.alerts },
      counterProcesses: {
        processes: workers.length,
        cpuPercentTotal: Math.round((done.reduce((n, d) => n + d.cpuMs, 0) / 1000 / wall) * 1000) / 10,
        rssMbTotal: Math.round(done.reduce((n, d) => n + d.rssMb, 0)),
      },
      broker: {
        rssMb: broker1?.rssMb ?? null,
        cpuPercent: broker0 && broker1 ? Math.round(((broker1.cpuTicks - broker0.cpuTicks) / clk / wall) * 1000) / 10 : null,
      },
      node: process.version,
      mosquitto: /mosquitto version (\S+)/.exec(spawnSync('mosquitto', ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '')?.[1] ?? null,
      at: new Date().toISOString(),
    };
    const json = JSON.stringify(result, null, 2);
    console.log(json);
    if (values.json) {
      mkdirSync(dirname(values.json), { recursive: true });
      writeFileSync(values.json, json + '\n');
    }
    return result.eventsLost === 0 && result.connected === counters ? 0 : 1;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await broker.stop();
  }
}

const code = await main();
if (code >= 0) process.exit(code);
