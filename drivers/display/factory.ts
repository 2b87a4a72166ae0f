import { Type } from '@sinclair/typebox';
import { checkDriverConfig, driverConfigProblems, type DriverConfig } from '../configSchema.ts';
import type { Logger } from '../logger.ts';
import { DisplayError, type Display } from './types.ts';

/** The geometries the screen layout and the DDRAM row map are made for. */
const COLUMNS = Type.Union([Type.Literal(16), Type.Literal(20)], { errorMessage: 'must be 16 or 20', default: 20 });
const ROWS = Type.Union([Type.Literal(2), Type.Literal(4)], { errorMessage: 'must be 2 or 4', default: 4 });

/** The display's config, declared once per driver; the types below derive from it. */
export const DISPLAY_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim'), columns: Type.Optional(COLUMNS), rows: Type.Optional(ROWS) }, { additionalProperties: false }),
  i2c: Type.Object(
    {
      driver: Type.Literal('i2c'),
      bus: Type.Integer({ minimum: 0, maximum: 255, errorMessage: 'must be the N of /dev/i2c-N (1 on a Raspberry Pi)' }),
      // 0x08-0x77: the 7-bit addresses the I2C specification does not reserve.
      address: Type.Integer({
        minimum: 0x08,
        maximum: 0x77,
        errorMessage: 'must be a 7-bit address 8-119 (39 = 0x27 for PCF8574, 63 = 0x3F for PCF8574A)',
      }),
      columns: Type.Optional(COLUMNS),
      rows: Type.Optional(ROWS),
    },
    { additionalProperties: false },
  ),
};

export type DisplayConfig = DriverConfig<typeof DISPLAY_DRIVERS>;

/** Every problem with a display config as "path: message" (empty = valid). */
export function validateDisplayConfig(raw: unknown, path = 'display'): string[] {
  return driverConfigProblems(DISPLAY_DRIVERS, raw, path);
}

/** The validated config, or a DISPLAY_CONFIG error listing every problem. */
export function parseDisplayConfig(config: unknown): DisplayConfig {
  const checked = checkDriverConfig(DISPLAY_DRIVERS, config, 'display');
  if (checked.config) return checked.config;
  const errors = checked.problems;
  throw new DisplayError('DISPLAY_CONFIG', `invalid display configuration: ${errors.join('; ')}`, { detail: { errors } });
}

/**
 * Builds the configured display; `i2c-bus` (a native addon) is imported only for `i2c`. An
 * unknown driver or a bad key is a DISPLAY_CONFIG error listing every problem: never a quiet
 * switch to the simulator, which would leave the operator looking at a dark screen.
 */
export async function createDisplay(config: unknown, logger: Logger): Promise<Display> {
  const cfg = parseDisplayConfig(config);
  const geometry = { columns: cfg.columns ?? 20, rows: cfg.rows ?? 4 };
  if (cfg.driver === 'sim') {
    const { SimDisplay } = await import('./sim.ts');
    return new SimDisplay(geometry);
  }
  const [{ I2cDisplay }, { openI2cBus }] = await Promise.all([import('./i2c.ts'), import('./i2cBusAdapter.ts')]);
  return new I2cDisplay({ bus: cfg.bus, address: cfg.address, ...geometry, openBus: openI2cBus, logger: logger.child({ module: 'display' }) });
}
