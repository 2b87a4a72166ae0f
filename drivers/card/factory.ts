import type { Logger } from '../logger.ts';
import type { Sam } from './sam.ts';
import type { CardReader } from './types.ts';

/**
 * Which SAM the pcsc driver uses. There is no default: a counter must name its SAM.
 * - `dev-test-keys`: the in-process development SAM (devSam.ts). TEST KEYS, NOT FOR PRODUCTION.
 * - `module`: a licensed SAM driver, loaded from `path`; it must export
 *   `createSam(options: Record<string, unknown>, logger: Logger): Sam | Promise<Sam>`.
 */
export type SamConfig =
  | { readonly kind: 'dev-test-keys' }
  | { readonly kind: 'module'; readonly path: string; readonly options?: Readonly<Record<string, unknown>> };

export type CardReaderConfig =
  | { readonly driver: 'sim'; readonly readLatencyMs?: number }
  | {
      readonly driver: 'pcsc';
      readonly readerName?: string;
      readonly samReaderName?: string;
      readonly extendedLength?: boolean;
      readonly chunkSize?: number;
      readonly reconnectMs?: number;
      readonly openTimeoutMs?: number;
      readonly sam: SamConfig;
    };

const PCSC_KEYS = new Set(['driver', 'readerName', 'samReaderName', 'extendedLength', 'chunkSize', 'reconnectMs', 'openTimeoutMs', 'sam']);

/** Validates an untrusted config object; returns every problem as "path: message" (empty = valid). */
export function validateCardReaderConfig(raw: unknown, path = 'cardReader'): string[] {
  const errs: string[] = [];
  if (typeof raw !== 'object' || raw === null) return [`${path}: must be an object`];
  const c = raw as Record<string, unknown>;
  const posInt = (k: string, min: number, max: number) => {
    const v = c[k];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min || (v as number) > max)) {
      errs.push(`${path}.${k}: must be an integer ${min}..${max}`);
    }
  };
  if (c.driver === 'sim') {
    for (const k of Object.keys(c)) if (k !== 'driver' && k !== 'readLatencyMs') errs.push(`${path}.${k}: unknown key for driver sim`);
    posInt('readLatencyMs', 0, 60_000);
    return errs;
  }
  if (c.driver !== 'pcsc') return [`${path}.driver: must be 'sim' or 'pcsc', got ${JSON.stringify(c.driver)}`];
  for (const k of Object.keys(c)) if (!PCSC_KEYS.has(k)) errs.push(`${path}.${k}: unknown key for driver pcsc`);
  for (const k of ['readerName', 'samReaderName']) {
    if (c[k] !== undefined && (typeof c[k] !== 'string' || (c[k] as string).length === 0)) errs.push(`${path}.${k}: must be a non-empty string`);
  }
  if (c.extendedLength !== undefined && typeof c.extendedLength !== 'boolean') errs.push(`${path}.extendedLength: must be a boolean`);
  posInt('chunkSize', 16, 32_767);
  posInt('reconnectMs', 50, 600_000);
  posInt('openTimeoutMs', 0, 600_000);
  const sam = c.sam as Record<string, unknown> | undefined;
  if (typeof sam !== 'object' || sam === null) {
    errs.push(`${path}.sam: required: { kind: 'dev-test-keys' } (NOT FOR PRODUCTION) or { kind: 'module', path }`);
  } else if (sam.kind === 'module') {
    if (typeof sam.path !== 'string' || sam.path.length === 0) errs.push(`${path}.sam.path: must be a non-empty string`);
    if (sam.options !== undefined && (typeof sam.options !== 'object' || sam.options === null)) errs.push(`${path}.sam.options: must be an object`);
  } else if (sam.kind !== 'dev-test-keys') {
    errs.push(`${path}.sam.kind: must be 'dev-test-keys' or 'module', got ${JSON.stringify(sam.kind)}`);
  }
  return errs;
}

async function createSam(config: SamConfig, logger: Logger): Promise<Sam> {
  if (config.kind === 'dev-test-keys') {
    logger.warn({ sam: 'dev-test-keys' }, 'using the development SAM with TEST KEYS: NOT FOR PRODUCTION');
    const { DevSam } = await import('./devSam.ts');
    return new DevSam();
  }
  const mod = (await import(config.path)) as { createSam?: (o: Record<string, unknown>, l: Logger) => Sam | Promise<Sam> };
  if (typeof mod.createSam !== 'function') throw new TypeError(`SAM module ${config.path} does not export createSam()`);
  return mod.createSam({ ...(config.options ?? {}) }, logger.child({ module: 'sam' }));
}

/**
 * Builds the configured card reader; only the chosen implementation is loaded. Throws a
 * TypeError listing every config problem; there is no fallback from pcsc to sim.
 */
export async function createCardReader(config: CardReaderConfig, logger: Logger): Promise<CardReader> {
  const errs = validateCardReaderConfig(config);
  if (errs.length > 0) throw new TypeError(`invalid card reader config:\n${errs.join('\n')}`);
  const log = logger.child({ module: 'card' });
  if (config.driver === 'sim') {
    const { SimCardReader } = await import('./sim.ts');
    return new SimCardReader({ readLatencyMs: config.readLatencyMs });
  }
  const sam = await createSam(config.sam, log);
  const { PcscCardReader } = await import('./pcsc.ts');
  return new PcscCardReader(config, sam, log);
}
