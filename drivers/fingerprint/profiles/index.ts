import type { DeviceProfile, UsbId } from '../profile.ts';
import { formatUsbId } from '../profile.ts';
import { uru4000b } from './uru4000.ts';

/**
 * Every supported sensor. Adding one is a new file in this folder and one line here; the driver,
 * factory and config check find it by name or by VID:PID.
 */
const PROFILES: readonly DeviceProfile[] = [uru4000b];

export function profileNames(): string[] {
  return PROFILES.map((p) => p.name);
}

export function profileByName(name: string): DeviceProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Keyed by "vvvv:pppp" in lower-case hex. */
export function profileByUsbId(id: UsbId): DeviceProfile | undefined {
  const key = formatUsbId(id);
  return PROFILES.find((p) => p.ids.some((i) => formatUsbId(i) === key));
}
