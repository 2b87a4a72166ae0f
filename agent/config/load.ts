import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import schema from './schema.json' with { type: 'json' };
import type { Config } from './types.ts';
import { migrateConfig } from './migrate.ts';
import { deviceConfigProblems } from './devices.ts';
import { hallConfigProblems } from '../hall/config.ts';
import { trustProblems } from './trust.ts';

/** Every problem with a config file, as "path: message" lines, so the installer fixes all at once. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: ${problems.length} configuration problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(schema);

function describe(err: ErrorObject): string {
  const path = err.instancePath === '' ? '(root)' : err.instancePath.slice(1).replaceAll('/', '.');
  if (err.keyword === 'additionalProperties') {
    return `${path}: unknown key "${(err.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (err.keyword === 'enum') {
    return `${path}: must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${path}: ${err.message ?? err.keyword}`;
}

/**
 * A `oneOf: [null, {...}]` key that fails reports "must be null" and "must match exactly one
 * schema" next to the real problem; drop those two when a more specific error exists at or below
 * the same path.
 */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => {
    const isBranchNoise = e.keyword === 'oneOf' || (e.keyword === 'type' && e.params.type === 'null');
    if (!isBranchNoise) return true;
    return !errors.some(
      (o) => o !== e && o.keyword !== 'oneOf' && !(o.keyword === 'type' && o.params.type === 'null') && o.instancePath.startsWith(e.instancePath),
    );
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates a parsed config object (after migration), fills defaults, and freezes the result. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, ['(root): must be a JSON object']);
  }
  const migrated = migrateConfig(structuredClone(raw) as Record<string, unknown>);
  if (!validate(migrated)) {
    const lines = [...new Set(relevant(validate.errors ?? []).map(describe))];
    throw new ConfigError(source, lines);
  }
  const deviceProblems = [
    ...deviceConfigProblems(migrated as { devices: Record<string, unknown>; mqtt: unknown }),
    ...hallConfigProblems((migrated as unknown as Config).hall),
    ...trustProblems(migrated as unknown as Parameters<typeof trustProblems>[0]),
  ];
  if (deviceProblems.length > 0) throw new ConfigError(source, deviceProblems);
  return deepFreeze(migrated as unknown as Config);
}

/** Loads the config file; no file at all means every default (the simulated counter). */
export function loadConfig(path: string | undefined): Config {
  if (path === undefined) return parseConfig({}, '(defaults)');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`(file): cannot read: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`(file): not valid JSON: ${(err as Error).message}`]);
  }
  return parseConfig(raw, path);
}
