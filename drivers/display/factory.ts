import type { Logger } from '../logger.ts';
import { DisplayError, type Display } from './types.ts';

/** The geometries the layout and the DDRAM row map are made for. */
const COLUMNS = [16, 20] as const;
const ROWS = [2, 4] as const;

export type DisplayConfig =
  | { readonly driver: 'sim'; readonly columns: 16 | 20; readonly rows: 2 | 4 }
  | {
      readonly driver: 'i2c';
      /** /dev/i2c-N. */
      readonly bus: number;
      /** 7-bit address; 39 (0x27) for a PCF8574 backpack, 63 (0x3F) for a PCF8574A. */
      readonly address: number;
      readonly columns: 16 | 20;
      readonly rows: 2 | 4;
    };

export const DEFAULT_DISPLAY: DisplayConfig = { driver: 'sim', columns: 20, rows: 4 };

const I2C_KEYS = new Set(['driver', 'bus', 'address', 'columns', 'rows']);
const SIM_KEYS = new Set(['driver', 'columns', 'rows']);

/**
 * Builds the configured display; `i2c-bus` (a native addon) is imported only for `i2c`. An
 * unknown driver or a bad key is a DISPLAY_CONFIG error listing every problem: never a quiet
 * switch to the simulator, which would leave the operator looking at a dark screen.
 */
export async function createDisplay(config: unknown, logger: Logger): Promise<Display> {
  const cfg = parseDisplayConfig(config);
  if (cfg.driver === 'sim') {
    const { SimDisplay } = await import('./sim.ts');
    return new SimDisplay({ columns: cfg.columns, rows: cfg.rows });
  }
  const [{ I2cDisplay }, { openI2cBus }] = await Promise.all([import('./i2c.ts'), import('./i2cBusAdapter.ts')]);
  return new I2cDisplay({ ...cfg, openBus: openI2cBus, logger: logger.child({ module: 'display' }) });
}

/** Every problem with a `devices.display` section, as "display.key: message" lines. */
export function parseDisplayConfig(config: unknown): DisplayConfig {
  const errors: string[] = [];
  if (config === undefined) return DEFAULT_DISPLAY;
  const c = isObject(config) ? config : {};
  if (!isObject(config)) errors.push('display: must be an object');
  const columns = c.columns ?? 20;
  const rows = c.rows ?? 4;
  if (!(COLUMNS as readonly unknown[]).includes(columns)) errors.push('display.columns: must be 16 or 20');
  if (!(ROWS as readonly unknown[]).includes(rows)) errors.push('display.rows: must be 2 or 4');
  const known = c.driver === 'i2c' ? I2C_KEYS : c.driver === 'sim' ? SIM_KEYS : null;
  if (!known) errors.push(`display.driver: unknown "${String(c.driver)}" (i2c or sim)`);
  else for (const key of Object.keys(c)) if (!known.has(key)) errors.push(`display.${key}: unknown key for driver ${String(c.driver)}`);
  if (c.driver === 'i2c') {
    if (!isInt(c.bus, 0, 255)) errors.push('display.bus: must be the N of /dev/i2c-N (1 on a Raspberry Pi)');
    // 0x08-0x77: the 7-bit addresses not reserved by the I2C specification.
    if (!isInt(c.address, 0x08, 0x77)) errors.push('display.address: must be a 7-bit address 8-119 (39 = 0x27 for PCF8574, 63 = 0x3F for PCF8574A)');
  }
  if (errors.length > 0) {
    throw new DisplayError('DISPLAY_CONFIG', `invalid display configuration: ${errors.join('; ')}`, { detail: { errors } });
  }
  return c.driver === 'sim'
    ? { driver: 'sim', columns: columns as 16 | 20, rows: rows as 2 | 4 }
    : { driver: 'i2c', bus: c.bus as number, address: c.address as number, columns: columns as 16 | 20, rows: rows as 2 | 4 };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
