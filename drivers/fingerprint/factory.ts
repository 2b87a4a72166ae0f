import type { Logger } from '../logger.ts';
import { fingerprintConfigProblems, parseFingerprintConfig } from './config.ts';
import { profileNames } from './profiles/index.ts';
import type { FingerprintSensor } from './types.ts';

export type { FingerprintConfig } from './config.ts';

/** For the agent's config loader: every problem with `raw` as "path: message" lines, empty when valid. */
export function validateFingerprintConfig(raw: unknown, path = 'fingerprint'): string[] {
  return [...fingerprintConfigProblems(raw, profileNames(), path)];
}

/**
 * Builds the configured sensor. The USB driver (and with it the native `usb` addon) is imported only
 * when chosen, so a laptop running `driver: sim` never loads libusb. An unknown driver or profile
 * throws: a counter must never quietly run on the simulator.
 */
export async function createFingerprintSensor(config: unknown, logger: Logger): Promise<FingerprintSensor> {
  const cfg = parseFingerprintConfig(config, profileNames());
  const log = logger.child({ module: 'fingerprint' });
  if (cfg.driver === 'sim') {
    const { SimFingerprintSensor } = await import('./sim.ts');
    return new SimFingerprintSensor({ logger: log, ...(cfg.model ? { model: cfg.model } : {}) });
  }
  const { UsbFingerprintSensor } = await import('./usb.ts');
  return new UsbFingerprintSensor(cfg, log);
}
