import t from 'tap';
import { MqttLink } from '../../../agent/status/client.ts';
import { resolveMqttConfig } from '../../../agent/status/config.ts';
import type { Logger } from '../../../drivers/logger.ts';
import { freePort } from '../../helpers/mosquitto.ts';

function recordingLogger(lines: string[]): Logger {
  const log: Logger = {
    debug: (_o, m) => void lines.push(`debug ${m}`),
    info: (_o, m) => void lines.push(`info ${m}`),
    warn: (_o, m) => void lines.push(`warn ${m}`),
    error: (_o, m) => void lines.push(`error ${m}`),
    child: () => log,
  };
  return log;
}

t.test('MqttLink', async (t) => {
  t.test('backs off exponentially against an unreachable broker and warns only once', async (t) => {
    const port = await freePort(); // nothing listens here
    const lines: string[] = [];
    const { config } = resolveMqttConfig({ url: `mqtt://127.0.0.1:${port}`, reconnectMinMs: 200, reconnectMaxMs: 800 });
    const link = new MqttLink({
      config,
      clientId: 'backoff-test',
      will: { topic: 'x/status', payload: '{}', qos: 1, retain: true },
      subscriptions: [],
      log: recordingLogger(lines),
    });
    link.start();
    await new Promise((r) => setTimeout(r, 3000));
    await link.stop();
    const attempts = lines.filter((l) => l.endsWith('MQTT connection error')).length;
    // Delays are 100-200, 200-400, then 400-800 ms: 5 to 10 attempts in 3 s. A fixed 200 ms
    // period would make about 15.
    t.ok(attempts >= 4 && attempts <= 11, `${attempts} attempts in 3 s`);
    t.equal(lines.filter((l) => l.startsWith('warn')).length, 2, 'one warn for the error, one for "unreachable"');
    t.equal(link.state, 'stopped');
    await t.rejects(link.publish('x', 'y', { qos: 1, retain: false }), /not connected/);
  });
});
