import type { EventEmitter } from 'node:events';
import { DeviceError } from '../deviceError.ts';

export type KeypadErrorCode =
  /** The input device is not there (unplugged, wrong path, not in group `input`). */
  | 'KEYPAD_ABSENT'
  | 'KEYPAD_IO'
  /** More keys typed than any NIK or report number has; the entry is cleared. */
  | 'KEYPAD_OVERFLOW'
  | 'KEYPAD_CONFIG';

export class KeypadError extends DeviceError<KeypadErrorCode> {}

export interface KeypadEvents {
  /** The text typed since the last Enter, submitted with Enter. */
  entry: [string];
  /** The buffer changed (digit, backspace, clear), for a display or an LED that shows typing. */
  typing: [length: number];
  fault: [KeypadError];
  /** The device reads again after a KEYPAD_ABSENT/KEYPAD_IO fault (replugged). Once per fault. */
  recovered: [];
}

/** A USB numeric keypad: digits and `/ - . * +` build an entry, Enter submits, Backspace deletes one, Esc/NumLock clears. */
export interface Keypad extends EventEmitter<KeypadEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  health(): { readonly state: 'ok' | 'absent' | 'error' | 'closed'; readonly lastError: KeypadErrorCode | null };
}

/** Longest entry: a NIK has 16 digits, a police loss-report number a few dozen characters. */
export const MAX_ENTRY_LENGTH = 40;
