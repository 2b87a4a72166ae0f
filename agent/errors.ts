import { CodedError } from '../drivers/deviceError.ts';

/**
 * Counter-level codes, in the same one error type the drivers use, so the transaction runner's
 * single boundary (operatorMessages.ts) handles a paper-out and a double pickup the same way.
 */
export type CounterErrorCode =
  | 'ROSTER_INVALID'
  | 'ROSTER_ALREADY_IMPORTED'
  | 'ROSTER_WRONG_SITE'
  | 'ROSTER_TOO_LARGE'
  | 'LETTER_UNKNOWN'
  | 'NIK_UNKNOWN'
  | 'LOSS_REPORT_INVALID'
  | 'ALREADY_ISSUED'
  | 'ALREADY_QUEUED'
  | 'QUEUE_EMPTY'
  | 'QUEUE_UNREACHABLE'
  /** The intake desk's ledger no longer verifies: it leases no ticket to any counter. */
  | 'QUEUE_LEDGER_REFUSED'
  /** The office broker refused this box: credentials or ACL (agent/office/link.ts). */
  | 'OFFICE_LINK_REFUSED'
  /** The office broker's certificate did not verify, or the TLS handshake failed. */
  | 'OFFICE_LINK_TLS'
  | 'OFFICE_TLS_FILE'
  | 'WRONG_STATE'
  | 'CARD_MISMATCH'
  | 'NOT_ON_ROSTER'
  | 'LEDGER_INCONSISTENT'
  | 'DELIVERY_UNKNOWN_BATCH'
  | 'DELIVERY_ALREADY_RECORDED'
  | 'DELIVERY_BAD_UID'
  | 'DAY_CLOSED'
  | 'DAY_ALREADY_CLOSED'
  | 'DAY_OPEN_TRANSACTION'
  /** Close-day at the intake desk while counters still hold leased tickets (agent/office/leases.ts). */
  | 'DAY_TICKETS_LEASED'
  | 'DAY_COUNT_INVALID'
  /** The panel's case-intrusion switch reports the box open: no new resident meanwhile. */
  | 'CASE_OPENED';

export class CounterError extends CodedError<CounterErrorCode> {}
