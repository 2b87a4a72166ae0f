import type { EventEmitter } from 'node:events';
import { DeviceError } from '../deviceError.ts';

export type ScannerErrorCode =
  /** The serial device is not there (unplugged, wrong path, no permission). */
  | 'SCANNER_ABSENT'
  /** The port broke after open (USB reset, read error). */
  | 'SCANNER_IO'
  /** A scan too long or with bytes a summons letter never carries (wrong symbology, noise). */
  | 'SCAN_UNREADABLE'
  /** Configuration names no known driver or has a bad path or speed; thrown by the factory. */
  | 'SCANNER_CONFIG';

export class ScannerError extends DeviceError<ScannerErrorCode> {}

export interface ScannerHealth {
  readonly state: 'ok' | 'absent' | 'error' | 'closed';
  readonly lastError: ScannerErrorCode | null;
}

export interface ScannerEvents {
  /** One decoded symbol (the text of the QR or barcode on the summons letter), trimmed. */
  scan: [string];
  /** Not Node's 'error': a flaky USB cable must not crash the desk; it lights GANGGUAN. */
  fault: [ScannerError];
  /** The device is readable again after a fault. */
  recovered: [];
}

/**
 * A barcode/QR scanner that types one symbol per line (CR or LF suffix), the way every USB
 * scanner in serial (CDC-ACM) mode and every RS-232 scanner does.
 */
export interface Scanner extends EventEmitter<ScannerEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  health(): ScannerHealth;
}

/** Longest symbol accepted: a summons-letter QR carries a letter number or a NIK, not a page. */
export const MAX_SCAN_LENGTH = 128;

/**
 * Cleans one raw line from a scanner. Scanners add CR/LF (handled by the line splitter), some add
 * a symbology prefix or NULs; anything outside printable ASCII is refused rather than guessed at.
 */
export function cleanScan(raw: string): { ok: true; text: string } | { ok: false } {
  const text = raw.replace(/^\0+|\0+$/g, '').trim();
  if (text === '' || text.length > MAX_SCAN_LENGTH || !/^[\x20-\x7e]+$/.test(text)) return { ok: false };
  return { ok: true, text };
}
