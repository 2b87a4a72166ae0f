import t from 'tap';
import { checkBroker } from '../../../../agent/doctor/checks/broker.ts';
import { resolveMqttConfig } from '../../../../agent/status/config.ts';
import { freePort, startMosquitto } from '../../../helpers/mosquitto.ts';

const config = (url: string, extra: Record<string, unknown> = {}) => resolveMqttConfig({ url, connectTimeoutS: 2, ...extra }).config;

t.test('checkBroker', async (t) => {
  t.test('passes with a note when no broker is configured', async (t) => {
    t.match(await checkBroker({ mqtt: null }), { code: 'BROKER_NOT_CONFIGURED', status: 'pass' });
  });

  t.test('connects to a real broker and passes', async (t) => {
    const broker = await startMosquitto();
    t.teardown(() => broker.stop());
    t.match(await checkBroker({ mqtt: config(broker.url) }), { code: 'BROKER_OK', status: 'pass', detail: `mqtt://127.0.0.1:${broker.port}` });
  });

  t.test('fails with BROKER_UNREACHABLE when nothing listens', async (t) => {
    const port = await freePort();
    const r = await checkBroker({ mqtt: config(`mqtt://127.0.0.1:${port}`) });
    t.match(r, { code: 'BROKER_UNREACHABLE', status: 'fail', detail: /ECONNREFUSED/ });
  });

  t.test('fails with BROKER_REFUSED when the broker rejects the credentials', async (t) => {
    const broker = await startMosquitto({ extra: ['allow_anonymous false'] });
    t.teardown(() => broker.stop());
    const r = await checkBroker({ mqtt: config(broker.url, { username: 'counter', password: 'wrong' }) });
    t.match(r, { code: 'BROKER_REFUSED', status: 'fail' });
  });
});
