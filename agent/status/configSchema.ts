import { Type } from '@sinclair/typebox';

const int = (min: number, max: number, description: string) =>
  Type.Optional(Type.Integer({ minimum: min, maximum: max, description, errorMessage: `must be an integer from ${min} to ${max}` }));
const text = (description: string) => Type.Optional(Type.String({ description, errorMessage: 'must be a string' }));

/**
 * How a box authenticates to a broker and checks the broker's certificate: shared by the `mqtt`
 * block (status) and the `office` block (agent/office/config.ts), so both take the same keys
 * and get the same checks (brokerConnectionProblems in config.ts, the footguns in
 * agent/config/trust.ts, the referenced files in agent/config/files.ts).
 */
export const BROKER_CREDENTIALS = {
  username: text('broker user'),
  password: text('broker password; only with username'),
  tls: Type.Optional(
    Type.Object(
      {
        caFile: text('CA bundle (PEM) instead of the system CAs'),
        certFile: text('client certificate (PEM), with keyFile'),
        keyFile: text('client key (PEM), with certFile'),
        rejectUnauthorized: Type.Optional(
          Type.Boolean({ description: 'defaults to true; only a lab broker with a throwaway cert should turn it off', errorMessage: 'must be a boolean' }),
        ),
        servername: text('SNI / certificate host name when the URL host differs (e.g. an IP address)'),
      },
      { additionalProperties: false, errorMessage: 'must be an object' },
    ),
  ),
};

/**
 * The `mqtt` block of the agent's config, declared once (drivers/configSchema.ts style):
 * `MqttConfig` derives from it; mqttConfigProblems (config.ts) checks a block against it and adds
 * the rules across keys (URL scheme, TLS with mqtts://, backoff min ≤ max). `mqtt: null` in the
 * config means "no broker, keep the outbox".
 */
export const MQTT_CONFIG = Type.Object(
  {
    url: Type.String({
      description: 'mqtt://host:1883, mqtts://host:8883 (TLS with the system CAs unless tls.caFile), ws://, wss://',
      errorMessage: 'must be a broker URL (mqtt://host:1883 or mqtts://host:8883)',
    }),
    protocolVersion: Type.Optional(
      Type.Union([Type.Literal(4), Type.Literal(5)], {
        description: '5 (default) or 4 (= MQTT 3.1.1, for brokers such as aedes or old appliances)',
        errorMessage: 'must be 5 (MQTT 5) or 4 (MQTT 3.1.1)',
      }),
    ),
    ...BROKER_CREDENTIALS,
    baseTopic: text('topic prefix before {site}/{device}; default ektp/v1'),
    clientId: text('MQTT client id'),
    keepaliveS: int(1, 600, 'MQTT keepalive; the broker declares the counter lost after 1.5x this. Default 30 s'),
    connectTimeoutS: int(1, 120, 'connect timeout (s)'),
    reconnectMinMs: int(100, 600_000, 'reconnect backoff start; doubles per failure with jitter'),
    reconnectMaxMs: int(100, 3_600_000, 'reconnect backoff cap'),
    healthIntervalS: int(5, 3600, 'health publish interval (s)'),
    metricsIntervalS: int(5, 86_400, 'metrics publish interval (s)'),
    outboxMaxEvents: int(10, 10_000_000, 'outbox bound; see outbox.ts for the policy when it is full. Default 10 000 events'),
    homeAssistantDiscovery: Type.Optional(
      Type.Boolean({ description: 'publish Home Assistant MQTT discovery config (retained) under homeassistant/. Default false', errorMessage: 'must be a boolean' }),
    ),
  },
  { additionalProperties: false, errorMessage: 'must be null (no broker) or an object with url' },
);
