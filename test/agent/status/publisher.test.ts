import t from 'tap';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configureDatabase } from '../../../agent/ledger/migrate.ts';
import { StatusPublisher, type StatusPublisherOptions } from '../../../agent/status/publisher.ts';
import { MAX_COMMAND_BYTES } from '../../../agent/status/commands.ts';
import type { DeviceHealth, EventPayload, MqttConfig, StatusPayload } from '../../../agent/status/types.ts';
import type { CounterEvent } from '../../../agent/events.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { collect, startMosquitto, type Received } from '../../helpers/mosquitto.ts';

/**
 * Broker outage length. The issue asks for a 60 s outage; the default run uses a few seconds so the
 * suite stays quick. Run `EKTP_MQTT_OUTAGE_S=60 npx tap test/agent/status/publisher.test.ts` for the
 * full-length version (nothing in the code depends on the length: backoff is capped at 1 s here).
 */
const OUTAGE_S = Number(process.env.EKTP_MQTT_OUTAGE_S ?? 3);
const REPO = resolve(import.meta.dirname, '../../..');

const health = (over: Partial<DeviceHealth> = {}): DeviceHealth => ({
  reader: { status: 'ok', code: null },
  sam: 'ok',
  sensor: { status: 'ok', code: null },
  printer: { online: true, paper: 'ok', coverOpen: false, code: null },
  clockSynced: true,
  diskFreePct: 71.5,
  cpuTempC: 48.2,
  counterState: 'idle',
  ...over,
});

function options(db: Database.Database, config: MqttConfig | null, over: Partial<StatusPublisherOptions> = {}): StatusPublisherOptions {
  return {
    config,
    site: 'jkt-timur',
    device: 'loket-01',
    db,
    logger: silentLogger,
    info: () => ({
      swVersion: '0.1.0',
      gitHash: 'abc1234',
      hwModel: 'Raspberry Pi 4 Model B',
      readerModel: 'ACS ACR39U',
      samPresent: true,
      fpSensorModel: 'sim',
      matcher: { name: 'ektp-matcher', version: '1.0.0', threshold: 40, fmr: 0.0001 },
      printer: { model: 'sim', paperMm: 58, columns: 32 },
      configHash: 'cafe',
      driverMode: 'sim',
    }),
    health: () => health(),
    metrics: () => ({
      queueWaiting: 4,
      served: 10,
      berhasil: 9,
      gagal: 1,
      disputed: 0,
      cancelled: 0,
      avgServiceSeconds: 182.4,
      fpAttemptsHistogram: { '1': 8, '2': 2 },
    }),
    ...over,
  };
}

function ev(over: Partial<CounterEvent> = {}): CounterEvent {
  return {
    type: 'handover',
    txId: randomUUID(),
    result: 'berhasil',
    reason: null,
    attempts: 1,
    finger: 'right_index',
    durationMs: 120_000,
    code: null,
    at: new Date().toISOString(),
    ...over,
  };
}

const fast = { reconnectMinMs: 200, reconnectMaxMs: 1000, keepaliveS: 5 } as const;
const parse = <T>(m: Received): T => JSON.parse(m.payload) as T;
const isTopic = (suffix: string) => (m: Received) => m.topic.endsWith(suffix);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('StatusPublisher', async (t) => {
  const broker = await startMosquitto({ tls: true, persistence: true });
  t.teardown(() => broker.stop());
  const prefix = 'ektp/v1/jkt-timur/loket-01';

  t.test('leaves retained ready/info/health/metrics for a late subscriber, and retained offline after a clean stop', async (t) => {
    const db = new Database(':memory:');
    const pub = new StatusPublisher(options(db, { url: broker.url, ...fast }));
    pub.start();
    t.ok(await pub.waitConnected(5000));
    await sleep(300);
    const late = await collect(broker.url, `${prefix}/#`);
    const status = await late.waitFor(isTopic('/status'), 3000, 'status');
    t.ok(status.retain, 'status is retained');
    t.match(parse<StatusPayload>(status), { state: 'ready', bootId: pub.bootId, alerts: [] });
    for (const name of ['info', 'health', 'metrics']) {
      const m = await late.waitFor(isTopic(`/${name}`), 3000, name);
      t.ok(m.retain, `${name} is retained`);
    }
    t.match(parse(late.messages.find(isTopic('/health'))!), { broker: 'connected', outbox: { depth: 0 } });
    await pub.stop();
    await late.until((all) => all.some((m) => m.topic.endsWith('/status') && parse<StatusPayload>(m).state === 'offline'), 3000, 'offline');
    await late.end();
    const after = await collect(broker.url, `${prefix}/status`);
    const last = await after.waitFor(() => true, 3000, 'retained status');
    t.match(parse<StatusPayload>(last), { state: 'offline', bootId: pub.bootId });
    await sleep(300);
    t.notOk(after.messages.some((m) => parse<StatusPayload>(m).state === 'lost'), 'a clean stop does not fire the will');
    await after.end();
  });

  t.test('goes to alert with the reason when health reports paper out, and back to ready', async (t) => {
    const db = new Database(':memory:');
    let h = health();
    const pub = new StatusPublisher(options(db, { url: broker.url, ...fast }, { health: () => h }));
    const sub = await collect(broker.url, `${prefix}/status`);
    pub.start();
    await sub.waitFor((m) => parse<StatusPayload>(m).state === 'ready' && parse<StatusPayload>(m).bootId === pub.bootId);
    h = health({ printer: { online: true, paper: 'out', coverOpen: false, code: 'PAPER_OUT' } });
    pub.healthChanged();
    const alert = await sub.waitFor((m) => parse<StatusPayload>(m).state === 'alert');
    t.same(parse<StatusPayload>(alert).alerts, ['paper_out']);
    h = health();
    pub.healthChanged();
    await sub.until((all) => parse<StatusPayload>(all[all.length - 1]).state === 'ready');
    await pub.stop();
    await sub.end();
  });

  t.test('the broker publishes the "lost" will within the keepalive window when the counter is SIGKILLed', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-lwt-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, 'child.mts');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
       const Database = createRequire(${JSON.stringify(join(REPO, 'package.json'))})('better-sqlite3');
       import { StatusPublisher } from ${JSON.stringify(join(REPO, 'agent/status/publisher.ts'))};
       import { silentLogger } from ${JSON.stringify(join(REPO, 'drivers/logger.ts'))};
       const h = { reader: { status: 'ok', code: null }, sam: 'ok', sensor: { status: 'ok', code: null },
         printer: { online: true, paper: 'ok', coverOpen: false, code: null }, clockSynced: true,
         diskFreePct: 50, cpuTempC: 40, counterState: 'idle' };
       const pub = new StatusPublisher({ config: { url: ${JSON.stringify(broker.url)}, keepaliveS: 2 },
         site: 'jkt-timur', device: 'loket-99', db: new Database(':memory:'), logger: silentLogger,
         info: () => ({}), health: () => h, metrics: () => ({}) });
       pub.start();
       if (await pub.waitConnected(5000)) process.stdout.write('connected ' + pub.bootId + '\\n');
       setInterval(() => {}, 1000);
      `,
    );
    const sub = await collect(broker.url, 'ektp/v1/jkt-timur/loket-99/status');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => void child.kill('SIGKILL'));
    const bootId = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /connected (\S+)/.exec(out);
        if (m) res(m[1]);
      });
      child.once('exit', (code) => rej(new Error(`child exited early (${code})`)));
    });
    await sub.waitFor((m) => parse<StatusPayload>(m).state === 'ready', 3000, 'ready');
    const killedAt = Date.now();
    child.kill('SIGKILL');
    // Keepalive 2 s: the broker gives up after 1.5 × 2 s = 3 s, plus up to one check interval.
    const lost = await sub.waitFor((m) => parse<StatusPayload>(m).state === 'lost', 6000, 'lost');
    t.equal(parse<StatusPayload>(lost).bootId, bootId, 'the will carries the boot id of the ready it ends');
    t.ok(lost.at - killedAt <= 5000, `lost seen ${lost.at - killedAt} ms after SIGKILL`);
    await sub.end();
    const late = await collect(broker.url, 'ektp/v1/jkt-timur/loket-99/status');
    const retained = await late.waitFor(() => true, 3000);
    t.equal(parse<StatusPayload>(retained).state, 'lost', 'lost is retained for monitors that start later');
    await late.end();
  });

  t.test(`keeps events through a ${OUTAGE_S} s broker outage and delivers them in order afterwards`, async (t) => {
    const db = new Database(':memory:');
    const pub = new StatusPublisher(options(db, { url: broker.url, ...fast }));
    // A persistent MQTT 3.1.1 session: the central consumer must not miss what arrives while it,
    // too, reconnects after the broker restart (mosquitto persistence is on for this broker).
    const sub = await collect(broker.url, `${prefix}/event`, { clean: false, clientId: 'central-consumer', protocolVersion: 4 });
    pub.start();
    t.ok(await pub.waitConnected(5000));
    const sent: CounterEvent[] = [ev(), ev()];
    for (const e of sent) pub.publishEvent(e);
    await sub.until((all) => all.length >= 2, 5000, 'events before outage');
    const restart = broker.restart(OUTAGE_S * 1000);
    await sleep(300);
    t.equal(pub.health().broker, 'disconnected');
    const during = Array.from({ length: 25 }, (_, i) =>
      ev(i % 5 === 4 ? { type: 'verification', result: 'gagal', reason: 'fp_no_match', attempts: 4 } : {}),
    );
    for (const e of during) {
      pub.publishEvent(e);
      sent.push(e);
    }
    t.equal(pub.health().outbox.depth, 25, 'events wait in the outbox during the outage');
    await restart;
    await sub.until((all) => new Set(all.map((m) => parse<EventPayload>(m).seq)).size >= sent.length, 15_000, 'all events');
    const got = sub.messages.map((m) => parse<EventPayload>(m));
    const unique = got.filter((g, i) => got.findIndex((x) => x.seq === g.seq && x.bootId === g.bootId) === i);
    t.same(unique.map((g) => g.seq), sent.map((_, i) => i + 1), 'every seq once, in order');
    t.same(unique.map((g) => g.txId), sent.map((e) => e.txId));
    // The subscriber can see the last event a moment before the publisher has its PUBACK.
    for (let i = 0; i < 50 && pub.outbox.depth() > 0; i++) await sleep(50);
    t.equal(pub.outbox.depth(), 0, 'outbox empty after drain');
    await pub.stop();
    await sub.client.endAsync();
  });

  t.test('a restarted counter delivers the previous boot’s queued events first', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-restart-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const open = () => {
      const db = new Database(join(dir, 'agent.db'));
      configureDatabase(db);
      return db;
    };
    const db1 = open();
    // First boot: broker configured but unreachable (nothing listens on this port).
    const first = new StatusPublisher(options(db1, { url: 'mqtt://127.0.0.1:9', ...fast }));
    first.start();
    const old = [ev(), ev(), ev()];
    for (const e of old) first.publishEvent(e);
    await first.stop();
    db1.close();
    const sub = await collect(broker.url, `${prefix}/event`);
    const db2 = open();
    const second = new StatusPublisher(options(db2, { url: broker.url, ...fast }));
    t.equal(second.outbox.depth(), 3);
    second.start();
    const fresh = ev();
    second.publishEvent(fresh);
    await sub.until((all) => all.length >= 4, 5000, '4 events');
    const got = sub.messages.map((m) => parse<EventPayload>(m));
    t.same(
      got.map((g) => [g.bootId, g.seq, g.txId]),
      [...old.map((e, i) => [first.bootId, i + 1, e.txId]), [second.bootId, 1, fresh.txId]],
    );
    await second.stop();
    await sub.end();
    db2.close();
  });

  t.test('connects over TLS with the test CA and a client certificate, and refuses an unknown CA', async (t) => {
    const db = new Database(':memory:');
    const tls = broker.tls!;
    const pub = new StatusPublisher(options(db, { url: broker.tlsUrl!, tls: { ...tls, servername: 'localhost' }, ...fast }));
    pub.start();
    t.ok(await pub.waitConnected(5000), 'connected with CA + client cert');
    const sub = await collect(broker.url, `${prefix}/status`);
    await sub.waitFor((m) => parse<StatusPayload>(m).bootId === pub.bootId);
    await pub.stop();
    await sub.end();
    const noCa = new StatusPublisher(options(new Database(':memory:'), { url: broker.tlsUrl!, tls: { certFile: tls.certFile, keyFile: tls.keyFile }, ...fast }));
    noCa.start();
    t.notOk(await noCa.waitConnected(1500), 'a server cert from an unknown CA is refused');
    t.equal(noCa.health().broker === 'connected', false);
    await noCa.stop();
  });

  t.test('refuses to start with a missing TLS file or invalid config, with a coded error', async (t) => {
    const db = new Database(':memory:');
    const pub = new StatusPublisher(options(db, { url: broker.tlsUrl!, tls: { caFile: '/nonexistent/ca.crt' } }));
    t.throws(() => pub.start(), { code: 'MQTT_TLS_FILE' });
    t.throws(() => new StatusPublisher(options(db, { url: 'http://x', keepaliveS: 0 })), {
      code: 'MQTT_CONFIG_INVALID',
      // The schema's problems first, then the rules across keys (agent/status/config.ts).
      detail: { errors: ['mqtt.keepaliveS: must be an integer from 1 to 600', /^mqtt\.url: scheme/] },
    });
  });

  t.test('answers broken, oversized and unknown commands with coded errors and keeps serving', async (t) => {
    const db = new Database(':memory:');
    let rotated = 0;
    const pub = new StatusPublisher(options(db, { url: broker.url, ...fast }, { rotateLogs: () => void rotated++ }));
    pub.start();
    t.ok(await pub.waitConnected(5000));
    const sub = await collect(broker.url, `${prefix}/cmd_result/#`);
    const send = (name: string, payload: string | Buffer) => sub.client.publishAsync(`${prefix}/cmd/${name}`, payload, { qos: 1 });
    const result = (name: string, pred: (r: Record<string, unknown>) => boolean = () => true) =>
      sub.waitFor((m) => m.topic === `${prefix}/cmd_result/${name}` && pred(JSON.parse(m.payload)), 3000, name);
    await send('ping', '{not json');
    t.match(parse(await result('ping')), { id: null, ok: false, error: { code: 'BAD_PAYLOAD' } });
    sub.messages.length = 0;
    await send('ping', Buffer.from([0xff, 0x00, 0xfe]));
    t.match(parse(await result('ping')), { ok: false, error: { code: 'BAD_PAYLOAD' } });
    sub.messages.length = 0;
    await send('ping', '[1,2,3]');
    t.match(parse(await result('ping')), { ok: false, error: { code: 'BAD_PAYLOAD' } });
    sub.messages.length = 0;
    await send('ping', JSON.stringify({ id: 'r1', pad: 'x'.repeat(MAX_COMMAND_BYTES) }));
    t.match(parse(await result('ping')), { ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    await send('reboot', '{"id":"r2"}');
    t.match(parse(await result('reboot')), { id: 'r2', ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    await send('pi ng', '{"id":"r3"}');
    t.match(parse(await result('_invalid')), { id: 'r3', ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    await send('ping/extra', '{"id":"r4"}');
    await send('ping', '{"id":"r5"}');
    t.match(parse(await result('ping', (r) => r.id === 'r5')), { id: 'r5', ok: true, result: { pong: true, bootId: pub.bootId } });
    t.notOk(sub.messages.some((m) => m.payload.includes('"r4"')), 'a deeper topic under cmd/ is not a command');
    await send('rotate_logs', '{"id":"r6"}');
    t.match(parse(await result('rotate_logs')), { id: 'r6', ok: true });
    t.equal(rotated, 1);
    const status = await collect(broker.url, `${prefix}/status`);
    await send('resend_info', '{"id":"r7"}');
    t.match(parse(await result('resend_info')), { id: 'r7', ok: true });
    await status.until((all) => all.filter((m) => !m.retain).length >= 1, 3000, 'republished status');
    await status.end();
    await pub.stop();
    await sub.end();
  });

  t.test('speaks MQTT 3.1.1 when configured', async (t) => {
    const db = new Database(':memory:');
    const sub = await collect(broker.url, `${prefix}/event`);
    const pub = new StatusPublisher(options(db, { url: broker.url, protocolVersion: 4, ...fast }));
    pub.start();
    t.ok(await pub.waitConnected(5000));
    const e = ev();
    pub.publishEvent(e);
    const m = await sub.waitFor(() => true);
    t.equal(parse<EventPayload>(m).txId, e.txId);
    await pub.stop();
    await sub.end();
  });

  t.test('without a broker keeps events in the outbox and says so in health', async (t) => {
    const db = new Database(':memory:');
    const pub = new StatusPublisher(options(db, null));
    pub.start();
    pub.publishEvent(ev());
    pub.publishEvent(ev());
    pub.nowServing({ counter: 'Loket 1', queueNumber: 'A-001', at: new Date().toISOString() });
    await pub.drain();
    t.match(pub.health(), { broker: 'not_configured', outbox: { depth: 2, dropped: 0 } });
    t.notOk(await pub.waitConnected(10));
    await pub.stop();
  });
});
