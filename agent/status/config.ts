import { checkConfig } from '../../drivers/configSchema.ts';
import { MQTT_CONFIG } from './configSchema.ts';
import { DEFAULT_BASE_TOPIC, isBaseTopic } from './topics.ts';
import type { MqttConfig, ResolvedMqttConfig } from './types.ts';

export const MQTT_DEFAULTS = {
  protocolVersion: 5,
  baseTopic: DEFAULT_BASE_TOPIC,
  keepaliveS: 30,
  connectTimeoutS: 10,
  reconnectMinMs: 1000,
  reconnectMaxMs: 60_000,
  healthIntervalS: 60,
  metricsIntervalS: 300,
  outboxMaxEvents: 10_000,
  homeAssistantDiscovery: false,
} as const;

/**
 * Every problem with an `mqtt` block, which may come straight from a config file, as
 * "path: message" lines (empty when valid): the schema's (types, ranges, unknown keys), then the
 * rules across keys, which read only values of the right type so both lists come out together.
 */
export function mqttConfigProblems(raw: unknown, path = 'mqtt'): string[] {
  const { problems } = checkConfig(MQTT_CONFIG, raw, path);
  if (!isObject(raw)) return [...problems];
  const c = raw;
  const errors = [...problems, ...brokerConnectionProblems(c, path)];
  if (typeof c.baseTopic === 'string' && !isBaseTopic(c.baseTopic)) {
    errors.push(`${path}.baseTopic: 1-4 levels of A-Z a-z 0-9 _ - separated by "/", no wildcards`);
  }
  if (typeof c.clientId === 'string' && !/^[A-Za-z0-9_.-]{1,64}$/.test(c.clientId)) {
    errors.push(`${path}.clientId: 1-64 chars of A-Z a-z 0-9 _ . -`);
  }
  const min = c.reconnectMinMs ?? MQTT_DEFAULTS.reconnectMinMs;
  const max = c.reconnectMaxMs ?? MQTT_DEFAULTS.reconnectMaxMs;
  if (typeof min === 'number' && typeof max === 'number' && max < min) errors.push(`${path}.reconnectMaxMs: must be >= reconnectMinMs`);
  return errors;
}

/**
 * The rules across the keys every broker block shares (`mqtt`, `office`): the URL's scheme, TLS
 * options only with a TLS URL, a client certificate with its key, a password with a user. Reads
 * only values of the right type; the block's own schema reports the rest.
 */
export function brokerConnectionProblems(c: Readonly<Record<string, unknown>>, path: string): string[] {
  const errors: string[] = [];
  let url: URL | null = null;
  if (typeof c.url === 'string') {
    try {
      url = new URL(c.url);
    } catch {
      errors.push(`${path}.url: not a URL (expected mqtt://host:1883 or mqtts://host:8883)`);
    }
  }
  if (url && !['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(url.protocol)) {
    errors.push(`${path}.url: scheme must be mqtt:, mqtts:, tcp:, ssl:, ws: or wss:`);
  }
  const secure = url !== null && ['mqtts:', 'ssl:', 'wss:'].includes(url.protocol);
  const tls = c.tls;
  if (tls !== undefined && url !== null && !secure) errors.push(`${path}.tls: set, but the URL is not mqtts://; TLS would not be used (use mqtts:// or wss://)`);
  if (isObject(tls) && (tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    errors.push(`${path}.tls: certFile and keyFile go together (client certificate authentication)`);
  }
  if (c.username === undefined && c.password !== undefined) errors.push(`${path}.password: set without username`);
  return errors;
}

/**
 * Checks an `mqtt` config block and fills defaults. Returns every problem as "path: message"
 * (the config loader prints them all at once and refuses to start) instead of stopping at the first.
 */
export function resolveMqttConfig(c: MqttConfig, path = 'mqtt'): { config: ResolvedMqttConfig; errors: string[] } {
  return { config: Object.freeze({ ...MQTT_DEFAULTS, ...c }), errors: mqttConfigProblems(c, path) };
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
