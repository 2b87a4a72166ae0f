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

export type PanelErrorCode =
  | 'GPIO_UNAVAILABLE'
  | 'GPIO_LINE_NOT_FOUND'
  | 'GPIO_IO'
  /** Configuration names no known driver, button or LED; thrown by the factory, never retried. */
  | 'PANEL_CONFIG';

/** The two-button commands (hold both for the long-press time); one table for GPIO, sim and keyboard. */
export const CHORDS: ReadonlyArray<{
  readonly buttons: readonly [ButtonName, ButtonName];
  readonly command: 'REPRINT_LAST' | 'DAILY_REPORT';
}> = [
  { buttons: ['BATAL', 'PANGGIL'], command: 'REPRINT_LAST' },
  { buttons: ['SESUAI', 'SANGGAH'], command: 'DAILY_REPORT' },
];

/** The command for a set of held buttons, or null when the set is no known chord. */
export function chordCommand(held: Iterable<ButtonName>): 'REPRINT_LAST' | 'DAILY_REPORT' | null {
  const set = new Set(held);
  if (set.size !== 2) return null;
  return CHORDS.find((c) => c.buttons.every((b) => set.has(b)))?.command ?? null;
}

export class PanelError extends DeviceError<PanelErrorCode> {}

export interface PanelEvents {
  input: [PanelInput];
  /**
   * A GPIO line failed after open (read/write/watch error). Not Node's 'error' event, so an agent
   * that does not listen is not crashed by a flaky LED line; it should light GANGGUAN.
   */
  fault: [PanelError];
  /**
   * Every line that failed works again (after one or more `fault`s): the panel is whole. Once
   * per fault period, like the reader's `reader-ready` and the sensor's `attached`.
   */
  recovered: [];
  /**
   * The case-intrusion switch (gpio `caseSwitch`), debounced: true when the box was opened (or
   * the switch wire cut), false when it is closed again. Only on a change.
   */
  case: [boolean];
}

export interface Panel extends EventEmitter<PanelEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Sets one LED; a new pattern replaces the old one's timer (timers never pile up). */
  setLed(led: LedName, pattern: LedPattern): void;
  /** Current pattern per LED, for health and tests. */
  leds(): Readonly<Record<LedName, LedPattern>>;
  /** Whether the case is open now; null when the panel has no case switch. */
  caseOpen?(): boolean | null;
}
