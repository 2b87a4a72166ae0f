import { PrinterError, type PrinterStatus } from './types.ts';

export const STATUS_OK: PrinterStatus = Object.freeze({ online: true, coverOpen: false, paper: 'ok', cutterError: false });

/**
 * The fault that stops a job, most specific first: an open cover and an empty roll also take the
 * printer offline, and the operator needs the cause, not "offline". A near-end roll still prints.
 */
export function statusFault(status: PrinterStatus, sent: boolean): PrinterError | null {
  const detail = { sent, status: { ...status } };
  if (status.coverOpen) return new PrinterError('COVER_OPEN', 'printer cover is open', { retryable: true, detail });
  if (status.paper === 'out') return new PrinterError('PAPER_OUT', 'printer is out of paper', { retryable: true, detail });
  if (status.cutterError) return new PrinterError('CUTTER_ERROR', 'printer cutter error', { retryable: true, detail });
  if (!status.online) return new PrinterError('PRINTER_OFFLINE', 'printer is offline', { retryable: true, detail });
  return null;
}
