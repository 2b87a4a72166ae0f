import { Type } from '@sinclair/typebox';
import { driverConfigProblems, type DriverConfig } from '../configSchema.ts';
import type { Logger } from '../logger.ts';
import { KeypadError, type Keypad } from './types.ts';

/** The keypad's config, declared once per driver; the type derives from it. */
export const KEYPAD_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim') }, { additionalProperties: false }),
  evdev: Type.Object(
    {
      driver: Type.Literal('evdev'),
      path: Type.String({ pattern: '^/dev/', errorMessage: 'must be an input device such as /dev/input/by-id/usb-…-event-kbd' }),
    },
    { additionalProperties: false },
  ),
};

export type KeypadConfig = DriverConfig<typeof KEYPAD_DRIVERS>;

/** Every problem with a keypad config as "path: message" (empty = valid). */
export function validateKeypadConfig(raw: unknown, path = 'keypad'): string[] {
  return driverConfigProblems(KEYPAD_DRIVERS, raw, path);
}

export function parseKeypadConfig(raw: unknown): KeypadConfig {
  const errors = validateKeypadConfig(raw);
  if (errors.length > 0) throw new KeypadError('KEYPAD_CONFIG', `invalid keypad configuration: ${errors.join('; ')}`, { detail: { errors } });
  return raw as KeypadConfig;
}

/** Builds the configured keypad; an unknown driver or bad path is KEYPAD_CONFIG, never the simulator. */
export async function createKeypad(config: unknown, logger: Logger): Promise<Keypad> {
  const cfg = parseKeypadConfig(config);
  if (cfg.driver === 'sim') {
    const { SimKeypad } = await import('./sim.ts');
    return new SimKeypad();
  }
  const { EvdevKeypad } = await import('./evdev.ts');
  return new EvdevKeypad({ path: cfg.path, logger });
}
