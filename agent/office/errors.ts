import { CodedError } from '../../drivers/deviceError.ts';

/**
 * The office tools' codes (`ektp-agent office leases|release|settle`): refusals the support officer
 * reads at the desk's terminal, with a Bahasa Indonesia message; nothing was recorded for them.
 */
export type OfficeErrorCode =
  /** This box is not the intake desk that keeps the office queue. */
  | 'OFFICE_NOT_AUTHORITY'
  /** No such ticket number on that day in the desk's queue. */
  | 'OFFICE_TICKET_UNKNOWN'
  /** The ticket is not leased to a counter (waiting, served, or already released). */
  | 'OFFICE_NOT_LEASED'
  /** The counter holding the lease is online: it must close the ticket itself. */
  | 'OFFICE_COUNTER_ONLINE'
  /** `--confirm-retrieved` missing: the e-KTP and the letter must be in the officer's hands first. */
  | 'OFFICE_CONFIRM_REQUIRED'
  /** `office settle`: no conflict with that number in the desk's ledger. */
  | 'OFFICE_CONFLICT_UNKNOWN'
  /** `office settle`: that conflict was settled before; a settlement is never rewritten. */
  | 'OFFICE_CONFLICT_SETTLED'
  /** `office settle --true counter`: the counter's report can no longer be what happened (ticket served again, or no verdict). */
  | 'OFFICE_SETTLE_NOT_POSSIBLE'
  /** `office settle` without --true desk|counter or without a --note of what physically happened. */
  | 'OFFICE_SETTLE_USAGE';

export class OfficeError extends CodedError<OfficeErrorCode> {}
