import type { FingerPosition } from '../drivers/card/types.ts';

/**
 * What the counter tells the rest of the agent (MQTT status, metrics, display board). These
 * payloads leave the box, so they carry no NIK, no name, no queue number (except `now_serving`,
 * whose whole purpose is the hall display board and which carries nothing else), no images, no
 * templates and no scores tied to a person. `txId` is a random UUID with no meaning outside the
 * ledger.
 */
export type CounterEventType =
  | 'verification'
  | 'handover'
  | 'docs_returned'
  | 'cancelled'
  | 'card_unreadable'
  /** Verification could not be done (device fault, unusable chip data): not a verdict. */
  | 'unverified'
  /** The documents of an unverified transaction were handled; the e-KTP stays in the office's store. */
  | 'unverified_closed'
  | 'printer_fault'
  | 'reader_fault'
  | 'sensor_fault'
  | 'panel_fault'
  /** The intake desk's letter scanner and keypad (agent/faults.ts). */
  | 'scanner_fault'
  | 'keypad_fault'
  | 'tamper';

export type ReasonCode =
  | 'fp_no_match'
  | 'fp_quality'
  | 'card_unreadable'
  | 'sig_invalid'
  | 'data_disputed'
  | 'data_mismatch'
  /** The printed face of the card differs from its chip: a misprint, destroyed as rusak (SOP step 15). */
  | 'print_mismatch'
  /** The operator found the card physically damaged: destroyed as rusak (SOP step 15). */
  | 'card_damaged'
  | 'not_on_roster'
  | 'already_issued'
  | 'operator_abort'
  | 'no_show'
  | 'interrupted'
  | 'device_fault'
  | 'no_usable_template';

export interface CounterEvent {
  readonly type: CounterEventType;
  readonly txId: string;
  /** fault / recovered: a device fault started or ended (its `*_fault` event, once each). */
  readonly result: 'berhasil' | 'gagal' | 'tertunda' | 'batal' | 'fault' | 'recovered';
  readonly reason: ReasonCode | null;
  readonly attempts: number;
  readonly finger: FingerPosition | null;
  readonly durationMs: number;
  /** Device error code for faults (PAPER_OUT, READER_ABSENT…), else null. */
  readonly code: string | null;
  readonly at: string;
}

/** Snapshot for the metrics topic; counts since local midnight. */
export interface CounterMetrics {
  readonly queueWaiting: number;
  readonly served: number;
  readonly berhasil: number;
  readonly gagal: number;
  readonly disputed: number;
  readonly cancelled: number;
  readonly avgServiceSeconds: number | null;
  readonly fpAttemptsHistogram: Readonly<Record<string, number>>;
}

/** The transaction state, for the status topic and health (no personal data). */
export interface CounterState {
  readonly state: string;
  readonly txId: string | null;
}

export interface NowServing {
  readonly counter: string;
  readonly queueNumber: string;
  readonly at: string;
}
