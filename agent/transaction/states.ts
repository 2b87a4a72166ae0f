import type { FingerPosition } from '../../drivers/card/types.ts';
import type { PanelInput } from '../../drivers/panel/types.ts';
import type { CounterEvent, ReasonCode } from '../events.ts';
import type { ItemKind } from '../ledger/types.ts';
import type { Ticket } from '../ledger/types.ts';
import type { VerifyOutcome } from '../matching/types.ts';

/** What every state after a call knows. Persisted; holds no personal or biometric data. */
export interface TxInfo {
  readonly id: string;
  readonly ticketId: number;
  readonly residentId: number;
  readonly queueNumber: string;
  readonly startedAt: string;
}

export interface FingerProgress {
  readonly fingers: readonly FingerPosition[];
  readonly finger: FingerPosition;
  readonly attempts: number;
  readonly attemptsOnFinger: number;
  readonly qualityRetries: number;
  /** Consecutive sensor/matcher failures (not refused captures); absent in states saved before. */
  readonly deviceFaults?: number;
}

/**
 * The pickup procedure (domain brief §0) as states. Every state is persisted with the custody
 * moves of the step that entered it; the verdict states wait for the operator to confirm the
 * physical handover so custody moves when the items actually change hands.
 */
export type TxState =
  | { readonly name: 'IDLE' }
  /** Queue number called; waiting for the resident and the e-KTP on the reader. */
  | { readonly name: 'CALLED'; readonly tx: TxInfo; readonly calls: number }
  | { readonly name: 'READING_CARD'; readonly tx: TxInfo; readonly readAttempts: number }
  /** Data-check slip printed; the resident compares; operator presses SESUAI or SANGGAH. */
  | { readonly name: 'DATA_CHECK'; readonly tx: TxInfo; readonly fingers: readonly FingerPosition[] }
  /**
   * The resident disputes the data. The operator first compares the printed card with the chip
   * slip (`comparing: false`: SESUAI = same, SANGGAH = different, a misprint); when they are the
   * same, the chip is compared with the dokumen pengesahan of the enrolment (`comparing: true`).
   */
  | { readonly name: 'DISPUTE_REVIEW'; readonly tx: TxInfo; readonly fingers: readonly FingerPosition[]; readonly comparing: boolean }
  | { readonly name: 'VERIFY_FINGER'; readonly tx: TxInfo; readonly referral: boolean; readonly progress: FingerProgress }
  /** Verdict berhasil recorded, slips printed; waiting for the handover against the receipt. */
  | { readonly name: 'HANDOVER'; readonly tx: TxInfo; readonly referral: boolean; readonly attempts: number; readonly finger: FingerPosition | null }
  /** Verdict gagal recorded; waiting for the old KTP and letter to go back to the resident. */
  | { readonly name: 'RETURN_DOCS'; readonly tx: TxInfo; readonly reason: ReasonCode; readonly attempts: number; readonly finger: FingerPosition | null }
  /**
   * "Belum dapat diverifikasi": a device or the chip data failed, so no verdict was reached. The
   * e-KTP goes back to the office's store (still on hand, never retained for destruction); the
   * documents are handled as configured (`verification.unverifiedDocuments`).
   */
  | { readonly name: 'UNVERIFIED'; readonly tx: TxInfo; readonly reason: ReasonCode; readonly attempts: number; readonly finger: FingerPosition | null };

export type TxStateName = TxState['name'];

/** Results of the chip read, already checked against the ledger by the runner. */
export type CardCheck = 'ok' | 'wrong_card' | 'not_on_roster' | 'already_issued';

export type TxInput =
  | { readonly type: 'button'; readonly input: PanelInput }
  | { readonly type: 'card_present' }
  | { readonly type: 'card_wait_timeout' }
  | { readonly type: 'card_read'; readonly check: CardCheck; readonly fingers: readonly FingerPosition[] }
  | { readonly type: 'card_failed'; readonly code: string; readonly retryable: boolean }
  | { readonly type: 'dispute_checked'; readonly equal: boolean }
  | { readonly type: 'verified'; readonly outcome: VerifyOutcome }
  | { readonly type: 'capture_failed'; readonly code: string; readonly retryable: boolean }
  /** Office queue: the ticket PANGGIL claimed, already recorded here (agent/office/queueClient.ts). */
  | { readonly type: 'claimed'; readonly ticket: Ticket }
  | { readonly type: 'claim_failed'; readonly code: 'QUEUE_EMPTY' | 'QUEUE_UNREACHABLE' | 'QUEUE_LEDGER_REFUSED' | 'OFFICE_LINK_REFUSED' | 'OFFICE_LINK_TLS' | 'LEDGER_INCONSISTENT' };

/** The tanda terima prints twice: the resident's copy and the staff copy (SOP step 12-13). */
export type SlipKind = 'data_check' | 'result' | 'receipt_resident' | 'receipt_staff';

export interface CustodyMove {
  readonly kind: ItemKind;
  /** States the item may be in before the move; anything else is a ledger inconsistency. */
  readonly from: readonly string[];
  readonly to: string;
  readonly reason: string;
}

/**
 * What a step asks the runner to do. The first group is written to SQLite in the same
 * transaction as the new state; the second runs after the commit.
 */
export type Effect =
  // ---- committed with the state ----
  | { readonly kind: 'start_tx'; readonly tx: TxInfo; readonly ticket: Ticket }
  | { readonly kind: 'ticket'; readonly state: Ticket['state']; readonly countCall?: boolean }
  | { readonly kind: 'custody'; readonly moves: readonly CustodyMove[] }
  | { readonly kind: 'print'; readonly slip: SlipKind }
  | { readonly kind: 'verdict'; readonly outcome: 'berhasil' | 'gagal' | 'tertunda'; readonly reason: ReasonCode | null }
  | { readonly kind: 'event'; readonly event: Omit<CounterEvent, 'txId' | 'at' | 'durationMs'> }
  | { readonly kind: 'close'; readonly outcome: 'berhasil' | 'gagal' | 'tertunda' | 'batal'; readonly reason: ReasonCode | null }
  // ---- after the commit ----
  | { readonly kind: 'now_serving' }
  /** Claim the next ticket from the office queue; the answer comes back as claimed / claim_failed. */
  | { readonly kind: 'claim' }
  | { readonly kind: 'await_card'; readonly fresh: boolean }
  | { readonly kind: 'read_card' }
  | { readonly kind: 'check_dispute' }
  | { readonly kind: 'capture'; readonly finger: FingerPosition }
  /** A coded notice for the operator: LED pattern, console/log line (operatorMessages.ts). */
  | { readonly kind: 'notice'; readonly code: string };

export interface StepResult {
  readonly next: TxState;
  readonly effects: readonly Effect[];
}

export interface StepContext {
  readonly config: {
    readonly fingerOrder: readonly FingerPosition[];
    readonly maxAttempts: number;
    readonly attemptsBeforeSwitch: number;
    readonly maxQualityRetries: number;
    readonly readAttempts: number;
    /** Consecutive sensor failures before the transaction ends unverified. */
    readonly maxDeviceFaults: number;
    /** What happens to the old KTP and letter when verification could not be done. */
    readonly unverifiedDocuments: 'return' | 'hold';
  };
  /** null: this box keeps its own queue (nextTicket); 'office': PANGGIL claims from the intake desk. */
  readonly queue?: 'office';
  /** Set while the counter takes no new resident (LEDGER_TAMPERED): PANGGIL only shows it. */
  readonly refusal?: string | null;
  nextTicket(): Ticket | null;
  newTxId(): string;
  now(): string;
}
