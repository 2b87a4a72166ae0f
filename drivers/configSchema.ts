/**
 * How a driver declares its config: one TypeBox schema per `driver` value, from which the
 * TypeScript type is derived (`Static<>`), validated by ajv (the validator the agent's config
 * loader already uses). Every problem comes back as "path: message" so the loader can list them
 * all before any device opens. A schema node may carry `errorMessage`: the text to show instead of
 * ajv's generic one (an annotation here; ajv ignores unknown keywords with strict: false).
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

function describe(err: ErrorObject, path: string, driver: string): string {
  const at = [path, ...err.instancePath.split('/').filter(Boolean)].join('.');
  if (err.keyword === 'additionalProperties') {
    return `${at}.${(err.params as { additionalProperty: string }).additionalProperty}: unknown key for driver ${driver}`;
  }
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    const hint = (err.parentSchema as { properties?: Record<string, { errorMessage?: unknown }> } | undefined)?.properties?.[missing]?.errorMessage;
    return `${at}.${missing}: ${typeof hint === 'string' && hint.startsWith('required') ? hint : 'required'}`;
  }
  const custom = (err.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage;
  if (typeof custom === 'string') return `${at}: ${custom}`;
  return `${at}: ${err.message ?? err.keyword}`;
}

/** The config type of a device: the union of its drivers' schemas. */
export type DriverConfig<S extends Record<string, TSchema>> = { [K in keyof S]: Static<S[K]> }[keyof S];

/**
 * Checks `raw` against the schema of the driver it names. `driver` is read first so that the
 * problems listed are those of the chosen driver, not of every branch of a union.
 */
export function driverConfigProblems<S extends Record<string, TSchema>>(drivers: S, raw: unknown, path: string): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`${path}: must be an object`];
  const driver = (raw as { driver?: unknown }).driver;
  const names = Object.keys(drivers);
  if (typeof driver !== 'string' || !Object.hasOwn(drivers, driver)) {
    return [`${path}.driver: must be ${names.map((n) => `'${n}'`).join(' or ')}, got ${JSON.stringify(driver)}`];
  }
  const validate = validatorFor(drivers[driver]);
  if (validate(raw)) return [];
  // A union (anyOf) reports once, in its own words: the errors of its branches are dropped.
  const errors = validate.errors ?? [];
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath.slice(0, -'/anyOf'.length)}/anyOf/`);
  const shown = errors.filter((e) => e.keyword === 'anyOf' || !unions.some((u) => e.schemaPath.startsWith(u)));
  return [...new Set(shown.map((e) => describe(e, path, driver)))];
}
