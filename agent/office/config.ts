import { Type, type Static } from '@sinclair/typebox';
import { checkConfig } from '../../drivers/configSchema.ts';
import { brokerConnectionProblems } from '../status/config.ts';
import { BROKER_CREDENTIALS, MQTT_CONFIG } from '../status/configSchema.ts';
import { isBaseTopic } from '../status/topics.ts';

const int = (min: number, max: number, description: string) =>
  Type.Optional(Type.Integer({ minimum: min, maximum: max, description, errorMessage: `must be an integer from ${min} to ${max}` }));

/**
 * The `office` block (a multi-counter office): the office broker and which intake desk keeps
 * the queue. The broker's credentials and TLS are the `mqtt` block's own keys and checks
 * (agent/status/configSchema.ts BROKER_CREDENTIALS, brokerConnectionProblems), so a counter
 * authenticates to the office broker exactly as it does to the monitoring broker.
 */
export const OFFICE_CONFIG = Type.Object(
  {
    url: MQTT_CONFIG.properties.url,
    authority: Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: 'device id of the intake desk that keeps the queue', errorMessage: 'must be a device id (a-z 0-9 -)' }),
    claimTimeoutMs: int(200, 30_000, 'how long PANGGIL waits for the queue before saying it cannot reach it'),
    resendMs: int(100, 60_000, 'how often an unacknowledged custody/close message is sent again'),
    baseTopic: Type.Optional(Type.String({ description: 'topic prefix before {site}/office; default ektp/v1', errorMessage: 'must be a string' })),
    keepaliveS: int(1, 600, 'MQTT keepalive; the broker marks the box offline (presence) after 1.5x this without traffic. Default 10 s'),
    ...BROKER_CREDENTIALS,
  },
  { additionalProperties: false, errorMessage: 'must be null (one-box office) or an object with url and authority' },
);

export const OFFICE_DEFAULTS = { claimTimeoutMs: 3000, resendMs: 2000, baseTopic: 'ektp/v1', keepaliveS: 10 } as const;

type OfficeBlock = Static<typeof OFFICE_CONFIG>;
export type OfficeConfig = Required<Pick<OfficeBlock, 'url' | 'authority' | keyof typeof OFFICE_DEFAULTS>> & Pick<OfficeBlock, 'username' | 'password' | 'tls'>;

/** Every problem with an `office` block as "path: message" lines (empty when valid). */
export function officeConfigProblems(raw: unknown, path = 'office'): string[] {
  const { problems } = checkConfig(OFFICE_CONFIG, raw, path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [...problems];
  const c = raw as Readonly<Record<string, unknown>>;
  const errors = [...problems, ...brokerConnectionProblems(c, path)];
  if (typeof c.baseTopic === 'string' && !isBaseTopic(c.baseTopic)) errors.push(`${path}.baseTopic: 1-4 levels of A-Z a-z 0-9 _ - separated by "/", no wildcards`);
  return errors;
}

/** A valid block with its defaults filled in. */
export function resolveOfficeConfig(block: Readonly<Record<string, unknown>>): OfficeConfig {
  return { ...OFFICE_DEFAULTS, ...(block as OfficeBlock) } as OfficeConfig;
}
