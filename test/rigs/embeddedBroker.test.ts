import t from 'tap';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { startEmbeddedBroker } from '../harness/embeddedBroker.ts';
import { StatusPublisher } from '../../agent/status/publisher.ts';
import type { EventPayload, StatusPayload } from '../../agent/status/types.ts';
import { silentLogger } from '../../drivers/logger.ts';
import { collect } from '../helpers/mosquitto.ts';

t.test('startEmbeddedBroker', async (t) => {
  t.test('carries a publisher speaking MQTT 3.1.1: retained status and an event reach a subscriber', async (t) => {
    const broker = await startEmbeddedBroker({ port: 0 });
    t.teardown(() => broker.close());
    const sub = await collect(broker.url, 'ektp/v1/demo/loket-01/+', { protocolVersion: 4 });
    const pub = new StatusPublisher({
      config: { url: broker.url, protocolVersion: 4, reconnectMinMs: 200, reconnectMaxMs: 1000 },
      site: 'demo',
      device: 'loket-01',
      db: new Database(':memory:'),
      logger: silentLogger,
      info: () => ({
        swVersion: '0.1.0', gitHash: null, hwModel: null, readerModel: null, samPresent: false, fpSensorModel: null,
        matcher: { name: 'm', version: '1', threshold: 40, fmr: 1e-4 }, printer: { model: null, paperMm: 58, columns: 32 },
        configHash: null, driverMode: 'sim',
      }),
      health: () => ({
        reader: { status: 'ok', code: null }, sam: 'absent', sensor: { status: 'ok', code: null },
        printer: { online: true, paper: 'ok', coverOpen: false, code: null }, clockSynced: null, diskFreePct: null,
        cpuTempC: null, counterState: 'idle',
      }),
      metrics: () => ({
        queueWaiting: 0, served: 0, berhasil: 0, gagal: 0, disputed: 0, cancelled: 0, avgServiceSeconds: null, fpAttemptsHistogram: {},
      }),
    });
    pub.start();
    t.ok(await pub.waitConnected(5000));
    const txId = randomUUID();
    pub.publishEvent({ type: 'handover', txId, result: 'berhasil', reason: null, attempts: 1, finger: 'left_index', durationMs: 1, code: null, at: new Date().toISOString() });
    const status = await sub.waitFor((m) => m.topic.endsWith('/status'));
    t.match(JSON.parse(status.payload) as StatusPayload, { state: 'alert', alerts: ['sam_absent'] });
    const event = await sub.waitFor((m) => m.topic.endsWith('/event'));
    t.equal((JSON.parse(event.payload) as EventPayload).txId, txId);
    await pub.stop();
    await sub.end();
  });

  t.test('rejects when the port is taken', async (t) => {
    const a = await startEmbeddedBroker({ port: 0 });
    t.teardown(() => a.close());
    await t.rejects(startEmbeddedBroker({ port: a.port }), { code: 'EADDRINUSE' });
  });
});
