import type { EventEmitter } from 'node:events';
import { DeviceError } from '../deviceError.ts';

/** An 8-bit grayscale frame, dark ridges on light background, row-major. */
export interface FingerImage {
  readonly width: number;
  readonly height: number;
  /** Pixels per inch, 500 nominal; the matcher rescales others. */
  readonly dpi: number;
  readonly pixels: Uint8Array;
}

export type SensorErrorCode =
  | 'ABSENT'
  | 'DISCONNECTED'
  | 'TIMEOUT'
  | 'CANCELED'
  | 'BAD_FRAME'
  | 'PROTOCOL'
  | 'BUSY';

export class SensorError extends DeviceError<SensorErrorCode> {}

export interface SensorHealth {
  readonly state: 'ok' | 'absent' | 'error';
  readonly model?: string;
  readonly lastError?: SensorErrorCode;
}

export interface SensorEvents {
  attached: [];
  detached: [];
}

/**
 * The live-finger sensor. Implemented by the USB driver (`usb.ts` + a device profile) and by the
 * simulator (`sim.ts`). `capture` waits for a finger, grabs one frame and returns it; the frame's
 * quality is judged by the matcher, not here, so every sensor gets the same guidance codes.
 */
export interface FingerprintSensor extends EventEmitter<SensorEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  health(): SensorHealth;
  capture(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<FingerImage>;
}
