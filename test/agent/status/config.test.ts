import t from 'tap';
import { MQTT_DEFAULTS, resolveMqttConfig } from '../../../agent/status/config.ts';
import type { MqttConfig } from '../../../agent/status/types.ts';

t.test('resolveMqttConfig', async (t) => {
  t.test('fills defaults for a minimal config', async (t) => {
    const { config, errors } = resolveMqttConfig({ url: 'mqtt://broker:1883' });
    t.same(errors, []);
    t.match(config, { ...MQTT_DEFAULTS, url: 'mqtt://broker:1883' });
    t.ok(Object.isFrozen(config));
  });

  t.test('lists every problem as path: message', async (t) => {
    const { errors } = resolveMqttConfig({
      url: 'http://broker',
      protocolVersion: 3,
      tls: { certFile: '/c.pem' },
      keepaliveS: 0,
      reconnectMinMs: 5000,
      reconnectMaxMs: 1000,
      baseTopic: 'ektp/#',
      clientId: 'has space',
      password: 'x',
    } as unknown as MqttConfig);
    t.same(errors.map((e) => e.split(':')[0]).sort(), [
      'mqtt.baseTopic',
      'mqtt.clientId',
      'mqtt.keepaliveS',
      'mqtt.password',
      'mqtt.protocolVersion',
      'mqtt.reconnectMaxMs',
      'mqtt.tls',
      'mqtt.tls',
      'mqtt.url',
    ]);
  });

  t.test('accepts TLS only with a secure URL', async (t) => {
    t.same(resolveMqttConfig({ url: 'mqtts://b:8883', tls: { caFile: '/ca' } }).errors, []);
    t.match(resolveMqttConfig({ url: 'mqtt://b:1883', tls: { caFile: '/ca' } }).errors, [/TLS would not be used/]);
  });
});
