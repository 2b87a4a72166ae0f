import type { Logger } from '../logger.ts';
import type { FingerImage } from './types.ts';

/**
 * What a device profile may do on the wire. `usb.ts` implements it over libusb; profile unit tests
 * implement it with a scripted fake. Profiles never import `usb`, so they stay pure and testable.
 * Every rejection is already a SensorError (DISCONNECTED, TIMEOUT, CANCELED, PROTOCOL).
 */
export interface UsbLink {
  /** Vendor control transfer, device to host, to the device recipient. */
  controlIn(request: number, value: number, index: number, length: number, timeoutMs: number): Promise<Uint8Array>;
  /** Vendor control transfer, host to device, to the device recipient. */
  controlOut(request: number, value: number, index: number, data: Uint8Array, timeoutMs: number): Promise<void>;
  /**
   * One IN transfer (bulk or interrupt, as the endpoint descriptor says). A short read is not an
   * error here; the profile judges the length. `signal` cancels the transfer in the kernel.
   */
  read(endpoint: number, length: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Uint8Array>;
  write(endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void>;
}

export type LedState = 'on' | 'off';

/** One open device. Calls come one at a time from the driver; none overlap. */
export interface ProfileSession {
  /** Powers the sensor up; after it, `waitForFinger` may be called. */
  init(): Promise<void>;
  /** Resolves when the sensor reports a finger on the platen; `signal` aborts the wait. */
  waitForFinger(signal: AbortSignal): Promise<void>;
  /** Reads one frame after `waitForFinger`. Structurally bad frames reject with BAD_FRAME. */
  captureFrame(timeoutMs: number): Promise<FingerImage>;
  setLed?(state: LedState): Promise<void>;
  /** Puts the sensor to sleep; must not throw when the device is already gone. */
  deinit(): Promise<void>;
}

export interface UsbId {
  readonly vid: number;
  readonly pid: number;
}

export interface DeviceProfile {
  /** Config name, e.g. "uru4000b". */
  readonly name: string;
  /** Human model name for health() and the retained MQTT info message. */
  readonly model: string;
  readonly ids: readonly UsbId[];
  /** The interface to claim. */
  readonly interfaceNumber: number;
  /** Class, subclass and protocol that interface must carry; usb.ts refuses anything else. */
  readonly interfaceClass?: readonly [number, number, number];
  open(link: UsbLink, log: Logger): ProfileSession;
}

export function formatUsbId(id: UsbId): string {
  return `${hex4(id.vid)}:${hex4(id.pid)}`;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
