import type { EventEmitter } from 'node:events';
import { DeviceError } from '../deviceError.ts';

export const BUTTONS = ['PANGGIL', 'SESUAI', 'SANGGAH', 'JARI_LAIN', 'BATAL'] as const;
export type ButtonName = (typeof BUTTONS)[number];

export const LEDS = ['SIAP', 'SIBUK', 'TEMPELKAN_JARI', 'BERHASIL', 'GAGAL', 'GANGGUAN'] as const;
export type LedName = (typeof LEDS)[number];

export type LedPattern = 'off' | 'on' | 'slow' | 'fast' | 'pulse';

/**
 * What the operator did. Single presses carry the button; long presses and chords are resolved by
 * the panel driver into named commands so the transaction never times button edges itself.
 */
export type PanelInput =
  | { readonly kind: 'press'; readonly button: ButtonName }
  | { readonly kind: 'long'; readonly button: ButtonName }
  | { readonly kind: 'command'; readonly command: 'REPRINT_LAST' | 'DAILY_REPORT' };

export type PanelErrorCode = 'GPIO_UNAVAILABLE' | 'GPIO_LINE_NOT_FOUND' | 'GPIO_IO';

export class PanelError extends DeviceError<PanelErrorCode> {}

export interface PanelEvents {
  input: [PanelInput];
}

export interface Panel extends EventEmitter<PanelEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Sets one LED; a new pattern replaces the old one's timer (timers never pile up). */
  setLed(led: LedName, pattern: LedPattern): void;
  /** Current pattern per LED, for health and tests. */
  leds(): Readonly<Record<LedName, LedPattern>>;
}
