import type { Logger } from '../logger.ts';
import { KeypadError, type Keypad } from './types.ts';

export type KeypadConfig = { readonly driver: 'sim' } | { readonly driver: 'evdev'; readonly path: string };

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

export function parseKeypadConfig(config: unknown): KeypadConfig {
  const c = typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  if (c.driver === 'sim') return { driver: 'sim' };
  const errors: string[] = [];
  if (c.driver !== 'evdev') errors.push(`keypad.driver: unknown "${String(c.driver)}" (sim or evdev)`);
  else if (typeof c.path !== 'string' || !c.path.startsWith('/dev/')) errors.push('keypad.path: must be an input device such as /dev/input/by-id/usb-…-event-kbd');
  if (errors.length > 0) throw new KeypadError('KEYPAD_CONFIG', `invalid keypad configuration: ${errors.join('; ')}`, { detail: { errors } });
  return c as unknown as KeypadConfig;
}
