import type { EventEmitter } from 'node:events';
import { DeviceError } from '../deviceError.ts';

export type DisplayErrorCode =
  /** No I2C bus device (I2C not enabled), no permission on it, or nothing answers at the address. */
  | 'DISPLAY_ABSENT'
  /** The backpack answered before and a write failed now (loose cable, brown-out). */
  | 'DISPLAY_IO'
  /** Configuration names no known driver or an impossible geometry; thrown by the factory. */
  | 'DISPLAY_CONFIG';

export class DisplayError extends DeviceError<DisplayErrorCode> {}

export interface DisplayEvents {
  /**
   * A write failed after open. Not Node's 'error' event: a dark display must not crash the
   * counter, whose LEDs still work; the agent logs it and the next `show` tries to re-initialise.
   */
  fault: [DisplayError];
}

/**
 * A character display for the operator: `rows` lines of `columns` characters. Callers give plain
 * text (any Unicode); the driver reduces it to what the glyph ROM can draw and pads or cuts each
 * line to the width, so the screen never keeps stale characters from a longer previous line.
 */
export interface Display extends EventEmitter<DisplayEvents> {
  readonly columns: number;
  readonly rows: number;
  open(): Promise<void>;
  /** Clears the screen and switches the backlight off. */
  close(): Promise<void>;
  /**
   * Replaces the whole screen. Missing rows are blank; extra rows are an error (the caller laid
   * out the screen for another geometry). Rejects with a DisplayError after emitting `fault`.
   */
  show(lines: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  /** What the screen shows now, as fitted text (exactly `rows` strings of `columns` chars). */
  lines(): readonly string[];
}
