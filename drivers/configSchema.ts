/**
 * How a driver declares its config: one TypeBox schema per `driver` value, from which the
 * TypeScript type is derived (`Static<>`), validated by ajv (the validator the agent's config
 * loader already uses). Every problem comes back as "path: message" so the loader can list them
 * all before any device opens. A schema node may carry `errorMessage`: the text to show instead of
 * ajv's generic one (an annotation here; ajv ignores unknown keywords with strict: false).
 */
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, discriminator: true });
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

function describe(err: ErrorObject, path: string, unknownKey: string): string {
  const at = [path, ...err.instancePath.split('/').filter(Boolean)].join('.');
  if (err.keyword === 'additionalProperties') {
    return `${at}.${(err.params as { additionalProperty: string }).additionalProperty}: ${unknownKey}`;
  }
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    const hint = (err.parentSchema as { properties?: Record<string, { errorMessage?: unknown }> } | undefined)?.properties?.[missing]?.errorMessage;
    if (typeof hint !== 'string') return `${at}.${missing}: required`;
    return `${at}.${missing}: ${hint.startsWith('required') ? hint : `required, ${hint}`}`;
  }
  if (err.keyword === 'discriminator') {
    const { tag, tagValue } = err.params as { tag: string; tagValue: unknown };
    if (tagValue === undefined) return `${at}.${tag}: required`;
    const hint = (err.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage;
    return `${at}.${tag}: unknown ${JSON.stringify(tagValue)}${typeof hint === 'string' ? ` (${at.split('.').pop()} ${hint})` : ''}`;
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
  return schemaProblems(drivers[driver], raw, path, `unknown key for driver ${driver}`);
}

/** Every problem of `raw` against one schema, sorted, as "path: message" (empty = valid). */
function schemaProblems(schema: TSchema, raw: unknown, path: string, unknownKey = 'unknown key'): string[] {
  const validate = validatorFor(schema);
  if (validate(raw)) return [];
  // A union (anyOf) reports once, in its own words: the errors of its branches are dropped.
  const errors = validate.errors ?? [];
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath.slice(0, -'/anyOf'.length)}/anyOf/`);
  const shown = errors.filter((e) => e.keyword === 'anyOf' || !unions.some((u) => e.schemaPath.startsWith(u)));
  return [...new Set(shown.map((e) => describe(e, path, unknownKey)))].sort();
}

/**
 * A config section that is not a driver choice (the MQTT block…): the value itself once its
 * schema finds nothing, else null with every problem.
 */
export function checkConfig<S extends TSchema>(
  schema: S,
  raw: unknown,
  path: string,
): { readonly config: Static<S>; readonly problems: readonly [] } | { readonly config: null; readonly problems: readonly string[] } {
  const problems = schemaProblems(schema, raw, path);
  return problems.length === 0 ? { config: raw as Static<S>, problems: [] } : { config: null, problems };
}

/**
 * The config itself once `driverConfigProblems` finds nothing, else null with the problems. With
 * checkConfig, the one place where ajv's verdict becomes the derived type.
 */
export function checkDriverConfig<S extends Record<string, TSchema>>(
  drivers: S,
  raw: unknown,
  path: string,
): { readonly config: DriverConfig<S>; readonly problems: readonly [] } | { readonly config: null; readonly problems: readonly string[] } {
  const problems = driverConfigProblems(drivers, raw, path);
  return problems.length === 0 ? { config: raw as DriverConfig<S>, problems: [] } : { config: null, problems };
}

/**
 * A union of object schemas told apart by one property (`type`, `kind`…): ajv checks only the
 * branch the value names, so its problems are listed instead of one per branch.
 */
export function taggedUnion<T extends TObject[]>(tag: string, branches: [...T], errorMessage: string) {
  return Type.Unsafe<Static<T[number]>>({ type: 'object', required: [tag], oneOf: branches, discriminator: { propertyName: tag }, errorMessage });
}
