import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import schema from './schema.json' with { type: 'json' };
import type { Config } from './types.ts';
import { resolveOfficeConfig } from '../office/config.ts';
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
// ajv's type guard: the schema shapes the file; the device sections' own schemas (devices.ts)
// complete it, and parseConfig returns only when both found nothing.
const validate = ajv.compile<Config>(schema);

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The "path" of a "path: message" line. */
const pathOf = (line: string) => line.slice(0, line.indexOf(': '));

/**
 * Validates a parsed config object (after migration), fills defaults, and freezes the result.
 * The file's schema, each device's own schema and rules, and the broker's and hall's rules are
 * checked in one pass, so every problem is listed together; a rule's line is dropped when the
 * schema already reported its path (or a parent of it), e.g. an unknown driver name.
 */
export function parseConfig(raw: unknown, source = 'config'): Config {
  if (!isObject(raw)) throw new ConfigError(source, ['(root): must be a JSON object']);
  const migrated = migrateConfig(structuredClone(raw));
  // ajv fills defaults (useDefaults) even where validation fails, so the device checks below see
  // the same defaulted sections the agent would run with.
  const valid = validate(migrated);
  const schemaProblems = valid ? [] : [...new Set(relevant(validate.errors ?? []).map(describe))];
  const reported = schemaProblems.map(pathOf);
  const covered = (path: string) => reported.some((p) => path === p || path.startsWith(`${p}.`));
  const ruleProblems = [...deviceConfigProblems(migrated), ...hallConfigProblems(migrated.hall), ...trustProblems(migrated)];
  const problems = [...schemaProblems, ...ruleProblems.filter((line) => !covered(pathOf(line)))];
  if (!valid || problems.length > 0) throw new ConfigError(source, problems);
  // ajv fills defaults only outside oneOf branches; the office block is `null | {…}`.
  if (migrated.office) (migrated as { office: unknown }).office = resolveOfficeConfig(migrated.office as unknown as Record<string, unknown>);
  return deepFreeze(migrated);
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
