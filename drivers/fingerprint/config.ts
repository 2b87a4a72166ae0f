import { Type } from '@sinclair/typebox';
import { checkDriverConfig, type DriverConfig } from '../configSchema.ts';

const u16 = (what: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff, errorMessage: 'must be an integer in 0..0xffff', description: what }));

/**
 * Sensor configuration as the agent's config file gives it, declared once per driver (the type
 * below derives from it). Checked before any driver opens; every problem is listed.
 */
export const FINGERPRINT_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim'), model: Type.Optional(Type.String({ errorMessage: 'must be a string' })) }, { additionalProperties: false }),
  usb: Type.Object(
    {
      driver: Type.Literal('usb'),
      /** Profile name from profiles/index.ts; when absent the profile comes from vid:pid. */
      profile: Type.Optional(Type.String()),
      /** Pick one device id when the profile knows several, or override for a rebadged sensor. */
      vid: u16('USB vendor id'),
      pid: u16('USB product id'),
      /** Upper bound for reading one frame once the finger is down (ms); 5000 by default. */
      captureTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000, errorMessage: 'must be an integer in 100..60000' })),
    },
    { additionalProperties: false },
  ),
};

export type FingerprintConfig = DriverConfig<typeof FINGERPRINT_DRIVERS>;

/** Every problem as "path: message": the schema's, then the rules across keys that it cannot say. */
export function fingerprintConfigProblems(raw: unknown, profileNames: readonly string[], path = 'fingerprint'): readonly string[] {
  const { config, problems } = checkDriverConfig(FINGERPRINT_DRIVERS, raw, path);
  if (!config || config.driver !== 'usb') return problems;
  const rules: string[] = [];
  if (config.profile !== undefined && !profileNames.includes(config.profile)) {
    rules.push(`${path}.profile: unknown profile ${JSON.stringify(config.profile)}; known: ${profileNames.join(', ')}`);
  }
  if ((config.vid === undefined) !== (config.pid === undefined)) rules.push(`${path}.vid/pid: give both or neither`);
  else if (config.profile === undefined && config.vid === undefined) rules.push(`${path}: give profile or vid and pid`);
  return rules;
}

/** The validated config, or a TypeError naming every problem, so the agent can list them and refuse to start. */
export function parseFingerprintConfig(raw: unknown, profileNames: readonly string[]): FingerprintConfig {
  const problems = fingerprintConfigProblems(raw, profileNames);
  const { config } = checkDriverConfig(FINGERPRINT_DRIVERS, raw, 'fingerprint');
  if (problems.length > 0 || !config) throw new TypeError(problems.join('; '));
  return Object.freeze({ ...config });
}
