import type { Logger } from '../logger.ts';
import { ScannerError, type Scanner } from './types.ts';

export type ScannerConfig =
  | { readonly driver: 'sim' }
  | { readonly driver: 'serial'; readonly path: string; readonly baudRate: number; readonly reopenMs?: number };

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

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

export function parseScannerConfig(config: unknown): ScannerConfig {
  const c = typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  const errors: string[] = [];
  if (c.driver === 'sim') return { driver: 'sim' };
  if (c.driver !== 'serial') {
    errors.push(`scanner.driver: unknown "${String(c.driver)}" (sim or serial)`);
  } else {
    if (typeof c.path !== 'string' || !c.path.startsWith('/dev/')) errors.push('scanner.path: must be a device path such as /dev/serial/by-id/usb-…-if00');
    if (!BAUD_RATES.includes(c.baudRate as number)) errors.push(`scanner.baudRate: one of ${BAUD_RATES.join(', ')}`);
    if (c.reopenMs !== undefined && !(Number.isInteger(c.reopenMs) && (c.reopenMs as number) >= 100 && (c.reopenMs as number) <= 60_000)) {
      errors.push('scanner.reopenMs: 100-60000');
    }
  }
  if (errors.length > 0) throw new ScannerError('SCANNER_CONFIG', `invalid scanner configuration: ${errors.join('; ')}`, { detail: { errors } });
  return c as unknown as ScannerConfig;
}
