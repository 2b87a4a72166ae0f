import t from 'tap';
import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../agent/monitor/cli.ts';
import { StatusPublisher } from '../../../agent/status/publisher.ts';
import type { DeviceHealth } from '../../../agent/status/types.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { collect, startMosquitto } from '../../helpers/mosquitto.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

function counter(url: string, site: string, device: string, paper: DeviceHealth['printer']['paper'], berhasil: number) {
  return new StatusPublisher({
    config: { url, reconnectMinMs: 200, reconnectMaxMs: 1000 },
    site,
    device,
    db: new Database(':memory:'),
    logger: silentLogger,
    info: () => ({
      swVersion: '0.1.0', gitHash: null, hwModel: null, readerModel: null, samPresent: true, fpSensorModel: null,
      matcher: { name: 'm', version: '1', threshold: 40, fmr: 1e-4 }, printer: { model: null, paperMm: 58, columns: 32 },
      configHash: null, driverMode: 'sim',
    }),
    health: () => ({
      reader: { status: 'ok', code: null }, sam: 'ok', sensor: { status: 'ok', code: null },
      printer: { online: true, paper, coverOpen: false, code: paper === 'out' ? 'PAPER_OUT' : null },
      clockSynced: true, diskFreePct: 50, cpuTempC: 45, counterState: 'idle',
    }),
    metrics: () => ({
      queueWaiting: 2, served: berhasil + 1, berhasil, gagal: 1, disputed: 0, cancelled: 0, avgServiceSeconds: 150, fpAttemptsHistogram: {},
    }),
  });
}

t.test('monitor cli', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());

  t.test('--json prints every counter from retained messages with alerts for lost and paper-out counters', async (t) => {
    const a = counter(broker.url, 'jkt-timur', 'loket-01', 'ok', 12);
    const b = counter(broker.url, 'jkt-timur', 'loket-02', 'out', 3);
    const other = counter(broker.url, 'bdg', 'loket-01', 'ok', 5);
    for (const p of [a, b, other]) p.start();
    for (const p of [a, b, other]) t.ok(await p.waitConnected(5000));
    // A counter whose will already fired before the monitor started.
    const pub = await collect(broker.url, 'none');
    await pub.client.publishAsync(
      'ektp/v1/jkt-timur/loket-03/status',
      JSON.stringify({ state: 'lost', bootId: 'old', ts: new Date().toISOString(), alerts: [] }),
      { qos: 1, retain: true },
    );
    await pub.end();
    await new Promise((r) => setTimeout(r, 300));
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'agent/monitor/cli.ts', '--broker', broker.url, '--json', '--site', 'jkt-timur', '--window', '800'],
      { cwd: REPO },
    );
    const snap = JSON.parse(stdout) as {
      counters: { device: string; state: string; today: { berhasil: number } | null; health: { outbox: { depth: number } } | null }[];
      alerts: { device: string; code: string }[];
    };
    t.same(snap.counters.map((c) => `${c.device}:${c.state}`), ['loket-01:ready', 'loket-02:alert', 'loket-03:lost'], 'only the chosen site');
    t.equal(snap.counters[0].today?.berhasil, 12);
    t.equal(snap.counters[0].health?.outbox.depth, 0);
    t.same(snap.alerts.map((x) => `${x.device}:${x.code}`).sort(), ['loket-02:paper_out', 'loket-03:lost']);
    for (const p of [a, b, other]) await p.stop();
  });

  t.test('live mode prints the table with a lost counter first and exits 0 on SIGTERM', async (t) => {
    const a = counter(broker.url, 'smg', 'loket-01', 'ok', 4);
    a.start();
    t.ok(await a.waitConnected(5000));
    const pub = await collect(broker.url, 'none');
    await pub.client.publishAsync(
      'ektp/v1/smg/loket-09/status',
      JSON.stringify({ state: 'lost', bootId: 'old', ts: new Date().toISOString(), alerts: [] }),
      { qos: 1, retain: true },
    );
    await pub.end();
    const child = spawn(process.execPath, ['--import', 'tsx', 'agent/monitor/cli.ts', '--broker', broker.url, '--site', 'smg'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no table within 10 s: ${out}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/ALERTS/.test(out)) {
          clearTimeout(timer);
          res();
        }
      });
    });
    const code = new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    child.kill('SIGTERM');
    t.equal(await code, 0);
    t.match(out, /2 counters: 1 online, 1 lost, 1 alert/);
    const rows = out.split('\n').filter((l) => l.startsWith('smg/'));
    t.match(rows[0], /^smg\/loket-09\s+lost/, 'the alerting counter is listed first');
    t.match(rows[1], /^smg\/loket-01\s+ready\s+\S+\s+ok\s+ok\s+ok\s+ok\s+2\s+4\s+1\s+0$/);
    await a.stop();
  });

  t.test('exits 2 with usage on bad arguments and 1 when the broker is unreachable', async (t) => {
    const err = process.stderr.write;
    process.stderr.write = () => true;
    try {
      t.equal(await main([]), 2);
      t.equal(await main(['--broker', broker.url, '--site', 'a/b']), 2);
      t.equal(await main(['--broker', broker.url, '--bogus']), 2);
      t.equal(await main(['--broker', 'mqtt://127.0.0.1:9', '--json']), 1);
    } finally {
      process.stderr.write = err;
    }
  });
});
