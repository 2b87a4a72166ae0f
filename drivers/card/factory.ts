import { Type } from '@sinclair/typebox';
import { driverConfigProblems, type DriverConfig } from '../configSchema.ts';
import type { Logger } from '../logger.ts';
import type { Sam } from './sam.ts';
import type { CardReader } from './types.ts';

const posInt = (min: number, max: number) => Type.Optional(Type.Integer({ minimum: min, maximum: max, errorMessage: `must be an integer ${min}..${max}` }));
const name = () => Type.Optional(Type.String({ minLength: 1, errorMessage: 'must be a non-empty string' }));

/**
 * Which SAM the pcsc driver uses. There is no default: a counter must name its SAM.
 * - `dev-test-keys`: the in-process development SAM (devSam.ts). TEST KEYS, NOT FOR PRODUCTION.
 * - `module`: a licensed SAM driver, loaded from `path`; it must export
 *   `createSam(options: Record<string, unknown>, logger: Logger): Sam | Promise<Sam>`.
 */
const SamSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('dev-test-keys') }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('module'),
        path: Type.String({ minLength: 1, errorMessage: 'must be a non-empty string' }),
        options: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { errorMessage: 'must be an object' })),
      },
      { additionalProperties: false },
    ),
  ],
  { errorMessage: "required: { kind: 'dev-test-keys' } (NOT FOR PRODUCTION) or { kind: 'module', path }" },
);

/** The card reader's config, declared once per driver; the types below derive from it. */
export const CARD_READER_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim'), readLatencyMs: posInt(0, 60_000) }, { additionalProperties: false }),
  pcsc: Type.Object(
    {
      driver: Type.Literal('pcsc'),
      readerName: name(),
      samReaderName: name(),
      extendedLength: Type.Optional(Type.Boolean({ errorMessage: 'must be a boolean' })),
      chunkSize: posInt(16, 32_767),
      reconnectMs: posInt(50, 600_000),
      openTimeoutMs: posInt(0, 600_000),
      sam: SamSchema,
    },
    { additionalProperties: false },
  ),
};

export type CardReaderConfig = DriverConfig<typeof CARD_READER_DRIVERS>;
export type SamConfig = Extract<CardReaderConfig, { driver: 'pcsc' }>['sam'];

/** Validates an untrusted config object; returns every problem as "path: message" (empty = valid). */
export function validateCardReaderConfig(raw: unknown, path = 'cardReader'): string[] {
  return driverConfigProblems(CARD_READER_DRIVERS, raw, path);
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
