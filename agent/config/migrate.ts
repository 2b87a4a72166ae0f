/**
 * Upgrades older config files in place before validation. Each step takes version N to N+1; a
 * file without `version` is the current format with every default. Version 1 is the first
 * released format, so there is nothing to migrate yet: the hook exists so a field rename never
 * strands a box in the field with a config it refuses.
 */
const CURRENT = 1;
const steps: Record<number, (c: Record<string, unknown>) => Record<string, unknown>> = {};

export function migrateConfig(raw: Record<string, unknown>): Record<string, unknown> {
  let config = raw;
  let version = typeof config.version === 'number' ? config.version : CURRENT;
  while (version < CURRENT && steps[version]) {
    config = steps[version](config);
    version += 1;
    config.version = version;
  }
  return config;
}
