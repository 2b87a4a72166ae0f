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

function intIn(errors: string[], path: string, v: unknown, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.push(`${path}: must be an integer from ${min} to ${max}`);
  }
}

const MQTT_KEYS: ReadonlySet<string> = new Set([
  'url', 'protocolVersion', 'username', 'password', 'tls', 'baseTopic', 'clientId', 'keepaliveS', 'connectTimeoutS',
  'reconnectMinMs', 'reconnectMaxMs', 'healthIntervalS', 'metricsIntervalS', 'outboxMaxEvents', 'homeAssistantDiscovery',
]);
const TLS_KEYS: ReadonlySet<string> = new Set(['caFile', 'certFile', 'keyFile', 'rejectUnauthorized', 'servername']);

/**
 * Checks an `mqtt` config block and fills defaults. Returns every problem as "path: message"
 * (the config loader prints them all at once and refuses to start) instead of stopping at the first.
 */
export function resolveMqttConfig(
  c: MqttConfig,
  path = 'mqtt',
): { config: ResolvedMqttConfig; errors: string[] } {
  const errors: string[] = [];
  // A typo (rejectUnauthorised, passwrod) would otherwise be ignored and the default used.
  for (const k of Object.keys(c)) if (!MQTT_KEYS.has(k)) errors.push(`${path}: unknown key "${k}"`);
  if (c.tls !== undefined && (typeof c.tls !== 'object' || c.tls === null)) errors.push(`${path}.tls: must be an object`);
  else for (const k of Object.keys(c.tls ?? {})) if (!TLS_KEYS.has(k)) errors.push(`${path}.tls: unknown key "${k}"`);
  let url: URL | null = null;
  try {
    url = new URL(c.url);
  } catch {
    errors.push(`${path}.url: not a URL (expected mqtt://host:1883 or mqtts://host:8883)`);
  }
  if (url && !['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(url.protocol)) {
    errors.push(`${path}.url: scheme must be mqtt:, mqtts:, tcp:, ssl:, ws: or wss:`);
  }
  const secure = url !== null && ['mqtts:', 'ssl:', 'wss:'].includes(url.protocol);
  if (c.tls && !secure) errors.push(`${path}.tls: set, but the URL is not mqtts://; TLS would not be used (use mqtts:// or wss://)`);
  if (c.tls && (c.tls.certFile === undefined) !== (c.tls.keyFile === undefined)) {
    errors.push(`${path}.tls: certFile and keyFile go together (client certificate authentication)`);
  }
  if (c.protocolVersion !== undefined && c.protocolVersion !== 4 && c.protocolVersion !== 5) {
    errors.push(`${path}.protocolVersion: must be 5 (MQTT 5) or 4 (MQTT 3.1.1)`);
  }
  if ((c.username === undefined) !== (c.password === undefined) && c.password !== undefined) {
    errors.push(`${path}.password: set without username`);
  }
  if (c.baseTopic !== undefined && !isBaseTopic(c.baseTopic)) {
    errors.push(`${path}.baseTopic: 1-4 levels of A-Z a-z 0-9 _ - separated by "/", no wildcards`);
  }
  if (c.clientId !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(c.clientId)) {
    errors.push(`${path}.clientId: 1-64 chars of A-Z a-z 0-9 _ . -`);
  }
  intIn(errors, `${path}.keepaliveS`, c.keepaliveS, 1, 600);
  intIn(errors, `${path}.connectTimeoutS`, c.connectTimeoutS, 1, 120);
  intIn(errors, `${path}.reconnectMinMs`, c.reconnectMinMs, 100, 600_000);
  intIn(errors, `${path}.reconnectMaxMs`, c.reconnectMaxMs, 100, 3_600_000);
  intIn(errors, `${path}.healthIntervalS`, c.healthIntervalS, 5, 3600);
  intIn(errors, `${path}.metricsIntervalS`, c.metricsIntervalS, 5, 86_400);
  intIn(errors, `${path}.outboxMaxEvents`, c.outboxMaxEvents, 10, 10_000_000);
  const config: ResolvedMqttConfig = { ...MQTT_DEFAULTS, ...c };
  if (config.reconnectMaxMs < config.reconnectMinMs) {
    errors.push(`${path}.reconnectMaxMs: must be >= reconnectMinMs`);
  }
  return { config: Object.freeze(config), errors };
}
