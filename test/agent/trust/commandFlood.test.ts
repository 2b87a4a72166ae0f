/**
 * Issue #16, "500 resend_info commands cause 2,500 retained republishes": through a real
 * mosquitto, a flood of commands costs a handful of republishes and the counter keeps answering.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { StatusPublisher } from '../../../agent/status/publisher.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { collect, startMosquitto } from '../../helpers/mosquitto.ts';

t.test('500 resend_info commands republish the retained topics a few times, not 2,500', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const prefix = 'ektp/v1/kec-demo/loket-1';
  const db = new Database(':memory:');
  const pub = new StatusPublisher({
    config: { url: broker.url, reconnectMinMs: 200, reconnectMaxMs: 1000 },
    site: 'kec-demo',
    device: 'loket-1',
    db,
    logger: silentLogger,
    info: () => ({
      swVersion: 't', gitHash: null, hwModel: null, readerModel: 'sim', samPresent: true, fpSensorModel: 'sim',
      matcher: { name: 'm', version: '1', threshold: 40, fmr: 0.0001 }, printer: { model: 'sim', paperMm: 58, columns: 32 }, configHash: null, driverMode: 'sim',
    }),
    health: () => ({
      reader: { status: 'ok', code: null }, sam: 'ok', sensor: { status: 'ok', code: null },
      printer: { online: true, paper: 'ok', coverOpen: false, code: null }, clockSynced: true, diskFreePct: 50, cpuTempC: null, counterState: 'IDLE',
    }),
    metrics: () => ({ queueWaiting: 0, served: 0, berhasil: 0, gagal: 0, disputed: 0, cancelled: 0, avgServiceSeconds: null, fpAttemptsHistogram: {} }),
  });
  pub.start();
  t.teardown(() => pub.stop());
  t.ok(await pub.waitConnected(5000));
  await new Promise((r) => setTimeout(r, 500));
  const watch = await collect(broker.url, [`${prefix}/status`, `${prefix}/info`, `${prefix}/health`, `${prefix}/metrics`, `${prefix}/cmd_result/#`]);
  t.teardown(() => watch.end());
  await new Promise((r) => setTimeout(r, 300));
  watch.messages.length = 0; // the retained copies on subscribe

  for (let i = 0; i < 500; i++) await watch.client.publishAsync(`${prefix}/cmd/resend_info`, JSON.stringify({ id: `r${i}` }), { qos: 1 });
  await new Promise((r) => setTimeout(r, 1500));
  const republished = watch.messages.filter((m) => !m.topic.includes('/cmd_result/')).length;
  const answers = watch.messages.filter((m) => m.topic.includes('/cmd_result/')).length;
  t.ok(republished <= 8, `${republished} republishes for 500 commands`);
  t.ok(answers <= 30, `${answers} answers for 500 commands`);

  // After the flood the counter answers again.
  await new Promise((r) => setTimeout(r, 3000));
  await watch.client.publishAsync(`${prefix}/cmd/ping`, JSON.stringify({ id: 'after' }), { qos: 1 });
  const pong = await watch.waitFor((m) => m.topic.endsWith('/cmd_result/ping') && m.payload.includes('"after"'), 5000, 'ping after the flood');
  t.match(JSON.parse(pong.payload), { ok: true });
});
