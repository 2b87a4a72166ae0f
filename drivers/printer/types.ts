import { DeviceError } from '../deviceError.ts';

/**
 * A slip as device-independent lines. Layouts (agent/slips/) build these; the ESC/POS driver and
 * the simulator render them. Text is plain ASCII after transliteration (the driver does it).
 */
export type SlipLine =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly align?: 'left' | 'center' | 'right';
      readonly bold?: boolean;
      /** 1 = normal, 2 = double width and height, 3 = triple (queue numbers). */
      readonly size?: 1 | 2 | 3;
      /** Continuation lines of a wrapped text start this many columns in (list items). */
      readonly hang?: number;
    }
  /** Left and right text on one line, padded to the paper width. */
  | { readonly kind: 'pair'; readonly left: string; readonly right: string }
  /**
   * "Label : value" with the value wrapped under itself (hanging indent), for biodata. The label
   * column is `labelWidth` wide (default: 10 at 32 columns, 17 at 48).
   */
  | { readonly kind: 'field'; readonly label: string; readonly value: string; readonly labelWidth?: number }
  | { readonly kind: 'rule'; readonly char?: '-' | '=' }
  | { readonly kind: 'qr'; readonly data: string }
  | { readonly kind: 'feed'; readonly lines: number };

export interface SlipDocument {
  /** Stable kind name: queue_ticket, data_check, result, receipt, berita_acara, daily_report… */
  readonly kind: string;
  readonly lines: readonly SlipLine[];
}

export interface PrinterStatus {
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paper: 'ok' | 'near_end' | 'out';
  readonly cutterError: boolean;
}

export type PrinterErrorCode =
  | 'PRINTER_ABSENT'
  | 'PRINTER_OFFLINE'
  | 'PAPER_OUT'
  | 'COVER_OPEN'
  | 'CUTTER_ERROR'
  | 'PRINTER_IO'
  | 'PRINTER_TIMEOUT'
  /** Configuration names no known driver or transport; thrown by the factory, never retried. */
  | 'PRINTER_CONFIG';

/**
 * `detail.sent` tells the print queue whether any byte of the failed job may have reached the
 * paper: `false` when the pre-print status check refused the job (nothing printed, no reprint
 * banner needed); `true` or absent means a partial slip may exist, so the retry is marked CETAK
 * ULANG.
 */
export class PrinterError extends DeviceError<PrinterErrorCode> {}

export interface Printer {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Paper width in columns of font A: 32 (58 mm) or 48 (80 mm). */
  readonly columns: number;
  status(opts?: { timeoutMs?: number }): Promise<PrinterStatus>;
  /**
   * Prints one slip and cuts. Checks status before and after; rejects with PAPER_OUT / COVER_OPEN /
   * PRINTER_OFFLINE when the job may not have come out whole, so the print queue can retry it
   * marked CETAK ULANG.
   */
  print(doc: SlipDocument, opts?: { timeoutMs?: number }): Promise<void>;
}
