import { Type } from '@sinclair/typebox';
import { driverConfigProblems, type DriverConfig } from '../configSchema.ts';
import type { Logger } from '../logger.ts';
import { ScannerError, type Scanner } from './types.ts';

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** The scanner's config, declared once per driver; the type derives from it. */
export const SCANNER_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim') }, { additionalProperties: false }),
  serial: Type.Object(
    {
      driver: Type.Literal('serial'),
      path: Type.String({ pattern: '^/dev/', errorMessage: 'must be a device path such as /dev/serial/by-id/usb-…-if00' }),
      baudRate: Type.Union(BAUD_RATES.map((b) => Type.Literal(b)), { errorMessage: `one of ${BAUD_RATES.join(', ')}` }),
      reopenMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000, errorMessage: '100-60000' })),
    },
    { additionalProperties: false },
  ),
};

export type ScannerConfig = DriverConfig<typeof SCANNER_DRIVERS>;

/** Every problem with a scanner config as "path: message" (empty = valid). */
export function validateScannerConfig(raw: unknown, path = 'scanner'): string[] {
  return driverConfigProblems(SCANNER_DRIVERS, raw, path);
}

export function parseScannerConfig(raw: unknown): ScannerConfig {
  const errors = validateScannerConfig(raw);
  if (errors.length > 0) throw new ScannerError('SCANNER_CONFIG', `invalid scanner configuration: ${errors.join('; ')}`, { detail: { errors } });
  return raw as ScannerConfig;
}

/**
 * Builds the configured scanner, importing only the chosen implementation (serialport loads only
 * for `serial`). Anything unrecognised is SCANNER_CONFIG listing every problem; never a quiet
 * switch to the simulator, which would leave the intake desk deaf.
 */
export async function createScanner(config: unknown, logger: Logger): Promise<Scanner> {
  const cfg = parseScannerConfig(config);
  if (cfg.driver === 'sim') {
    const { SimScanner } = await import('./sim.ts');
    return new SimScanner();
  }
  const { SerialScanner } = await import('./serial.ts');
  return new SerialScanner({ path: cfg.path, baudRate: cfg.baudRate, reopenMs: cfg.reopenMs, logger });
}
