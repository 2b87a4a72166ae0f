import t from 'tap';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { StatusPublisher } from '../../../agent/status/publisher.ts';
import type { DeviceHealth } from '../../../agent/status/types.ts';
import type { CounterEvent, CounterMetrics } from '../../../agent/events.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { collect, startMosquitto, type Received } from '../../helpers/mosquitto.ts';

/** Fake but realistic residents: 16-digit NIKs with region/birth-date structure, Indonesian names. */
const RESIDENTS = [
  ['3175064501900003', 'SITI NURHALIZA'],
  ['3174051203870004', 'BUDI SANTOSO'],
  ['3201122708950001', 'AHMAD FAUZI'],
  ['3578036610880002', 'DEWI LESTARI'],
  ['3273011503920005', 'RUDI HARTONO'],
  ['3374044112990006', 'NI LUH PUTU ARYANI'],
  ['6171052002850007', 'YOHANES PRASETYO'],
  ['1271036307910008', 'RATNA SARI DEWI'],
  ['7371011909830009', 'ANDI MAPPANYUKKI'],
  ['5171024404970010', 'I GEDE WIRAWAN'],
].map(([nik, name], i) => ({ nik, name, queue: `B-${String(i + 13).padStart(3, '0')}` }));

const mask = (nik: string) => `${nik.slice(0, 6)}******${nik.slice(12)}`;

/** Every way a resident could leak; the queue number only counts outside now_serving. */
function leaks(messages: readonly Received[]): string[] {
  const found: string[] = [];
  for (const m of messages) {
    for (const r of RESIDENTS) {
      if (m.payload.includes(r.nik)) found.push(`${m.topic}: NIK ${r.nik}`);
      if (m.payload.includes(mask(r.nik))) found.push(`${m.topic}: masked NIK`);
      if (m.payload.toUpperCase().includes(r.name)) found.push(`${m.topic}: name ${r.name}`);
      for (const part of r.name.split(' ').filter((p) => p.length >= 5)) {
        if (m.payload.toUpperCase().includes(part)) found.push(`${m.topic}: name part ${part}`);
      }
      if (!m.topic.endsWith('/now_serving') && m.payload.includes(r.queue)) found.push(`${m.topic}: queue ${r.queue}`);
    }
    if (/"(template|image|photo|signature|minutiae)"/i.test(m.payload)) found.push(`${m.topic}: biometric field`);
    if (/[A-Za-z0-9+/]{200,}/.test(m.payload)) found.push(`${m.topic}: long base64-like blob`);
  }
  return found;
}

t.test('StatusPublisher privacy', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());

  t.test('the leak scanner catches a planted NIK, name and queue number (so it can fail)', async (t) => {
    const planted: Received[] = [
      { topic: 'x/event', payload: '{"nik":"3175064501900003"}', retain: false, at: 0 },
      { topic: 'x/health', payload: '{"who":"Budi Santoso"}', retain: false, at: 0 },
      { topic: 'x/metrics', payload: '{"q":"B-013"}', retain: false, at: 0 },
    ];
    t.equal(leaks(planted).length >= 3, true);
  });

  t.test('publishes no NIK, name, queue number (outside now_serving), image or template during a simulated day', async (t) => {
    const db = new Database(':memory:');
    const metrics: { -readonly [K in keyof CounterMetrics]: CounterMetrics[K] } = {
      queueWaiting: RESIDENTS.length,
      served: 0,
      berhasil: 0,
      gagal: 0,
      disputed: 0,
      cancelled: 0,
      avgServiceSeconds: null,
      fpAttemptsHistogram: {},
    };
    let health: DeviceHealth = {
      reader: { status: 'ok', code: null },
      sam: 'ok',
      sensor: { status: 'ok', code: null },
      printer: { online: true, paper: 'ok', coverOpen: false, code: null },
      clockSynced: true,
      diskFreePct: 63,
      cpuTempC: 51,
      counterState: 'idle',
    };
    const spy = await collect(broker.url, '#');
    const pub = new StatusPublisher({
      config: { url: broker.url, reconnectMinMs: 200, reconnectMaxMs: 1000, homeAssistantDiscovery: true },
      site: 'jkt-timur',
      device: 'loket-02',
      db,
      logger: silentLogger,
      info: () => ({
        swVersion: '0.1.0',
        gitHash: null,
        hwModel: 'Raspberry Pi 4',
        readerModel: 'ACS ACR39U',
        samPresent: true,
        fpSensorModel: 'sim',
        matcher: { name: 'ektp-matcher', version: '1', threshold: 40, fmr: 1e-4 },
        printer: { model: 'TM-T82', paperMm: 80, columns: 48 },
        configHash: null,
        driverMode: 'sim',
      }),
      health: () => health,
      metrics: () => metrics,
    });
    pub.start();
    t.ok(await pub.waitConnected(5000));
    let expectedEvents = 0;
    for (const [i, r] of RESIDENTS.entries()) {
      pub.nowServing({ counter: 'Loket 2', queueNumber: r.queue, at: new Date().toISOString() });
      health = { ...health, counterState: 'readingCard' };
      pub.healthChanged();
      // A careless caller spreads the whole resident (and its biometrics) into the event: the
      // builders must keep only the whitelisted fields.
      const careless = {
        ...r,
        namaLengkap: r.name,
        template: Buffer.alloc(300, 7).toString('base64'),
        type: 'verification',
        txId: randomUUID(),
        result: i % 4 === 3 ? 'gagal' : 'berhasil',
        reason: i % 4 === 3 ? 'fp_no_match' : null,
        attempts: i % 4 === 3 ? 4 : 1 + (i % 2),
        finger: i % 3 === 0 ? 'left_index' : 'right_index',
        durationMs: 40_000 + i * 1000,
        code: null,
        at: new Date().toISOString(),
      } as unknown as CounterEvent;
      pub.publishEvent(careless);
      expectedEvents++;
      if (i % 4 !== 3) {
        pub.publishEvent({ ...careless, type: 'handover', reason: null } as CounterEvent);
        expectedEvents++;
        metrics.berhasil++;
      } else {
        metrics.gagal++;
      }
      if (i === 5) {
        health = { ...health, printer: { online: true, paper: 'out', coverOpen: false, code: 'PAPER_OUT' } };
        pub.healthChanged();
        pub.publishEvent({
          type: 'printer_fault', txId: randomUUID(), result: 'fault', reason: 'device_fault', attempts: 0,
          finger: null, durationMs: 0, code: 'PAPER_OUT', at: new Date().toISOString(),
        });
        expectedEvents++;
        health = { ...health, printer: { online: true, paper: 'ok', coverOpen: false, code: null } };
      }
      // A NIK where a device error code belongs is dropped by the health builder.
      health = { ...health, counterState: 'idle', reader: { status: 'ok', code: i === 7 ? r.nik : null } };
      pub.healthChanged();
      metrics.served++;
      metrics.queueWaiting--;
      pub.metricsChanged();
    }
    await spy.client.publishAsync('ektp/v1/jkt-timur/loket-02/cmd/ping', JSON.stringify({ id: 'ops-1' }), { qos: 1 });
    await spy.until((all) => all.filter((m) => m.topic.endsWith('/event')).length >= expectedEvents, 10_000, 'all events');
    await spy.waitFor((m) => m.topic.endsWith('/cmd_result/ping'), 3000, 'ping result');
    await pub.stop();
    await spy.until((all) => all.some((m) => m.payload.includes('"offline"')), 3000, 'offline');
    await spy.end();

    const published = spy.messages.filter((m) => !m.topic.endsWith('/cmd/ping'));
    const topics = new Set(published.map((m) => m.topic.split('/').slice(4).join('/') || m.topic));
    for (const name of ['status', 'info', 'health', 'metrics', 'event', 'now_serving', 'cmd_result/ping']) {
      t.ok(topics.has(name), `the day exercised ${name}`);
    }
    t.ok(published.some((m) => m.topic.startsWith('homeassistant/')), 'the day exercised HA discovery');
    t.same(leaks(published), [], 'no personal data in any payload');
    const boards = published.filter((m) => m.topic.endsWith('/now_serving') && m.payload !== '');
    t.equal(boards.length, RESIDENTS.length);
    for (const b of boards) t.same(Object.keys(JSON.parse(b.payload)).sort(), ['at', 'counter', 'queueNumber']);
  });
});
