/**
 * The office protocol between the intake desk (the queue authority) and the counters, over the
 * office's MQTT 5 broker. Nothing personal travels: a resident is named by the roster batch and
 * the entry's index in it (both boxes imported the same signed roster), a ticket by its number.
 *
 *   {base}/{site}/office/queue/claim   counter → authority   MQTT 5 request: responseTopic + correlationData (claim id)
 *   {base}/{site}/office/to/{device}   anyone → device       replies to claims, and journal messages (close,
 *                                                             abandon, claim_ack) with (bootId, seq), and their acks
 *   {base}/{site}/office/presence/{device}  retained        online | offline (clean stop) | lost (the broker's last will)
 */
export interface RosterRef {
  readonly batch: string;
  readonly index: number;
}

export interface ClaimRequest {
  readonly claimId: string;
  readonly counter: string;
}

export type ClaimReply =
  | {
      readonly status: 'granted';
      readonly claimId: string;
      readonly ticket: { readonly number: string; readonly day: string; readonly issuedAt: string; readonly resident: RosterRef; readonly calls: number };
    }
  | { readonly status: 'empty'; readonly claimId: string }
  /** The claim id was abandoned by its counter before (a late duplicate): nothing is handed out. */
  | { readonly status: 'abandoned'; readonly claimId: string }
  /**
   * The desk's ledger no longer verifies (LEDGER_TAMPERED, LEDGER_UNREADABLE): it leases nothing
   * onto it, as a counter calls nobody onto its own. Nothing was recorded for the claim.
   */
  | { readonly status: 'refused'; readonly claimId: string; readonly code: string };

/** How a leased ticket ended at the counter; the authority moves the ticket and the documents. */
/**
 * `tertunda`: unverified (no verdict). The e-KTP comes back on hand; the letter comes back held when
 * the counter's office keeps the documents (verify.unverifiedDocuments 'hold'), else it went back to
 * the resident and the desk returns the old KTP as well.
 */
export type CloseOutcome = 'berhasil' | 'gagal' | 'tertunda' | 'no_show' | 'interrupted' | 'cancelled';

/** An item the counter hands back to the intake desk after the verdict, and in which state. */
export interface ReturnedItem {
  readonly kind: 'ektp' | 'letter';
  readonly state: 'on_hand' | 'retained' | 'held' | 'kept';
}

export type JournalBody =
  /** The counter committed the claimed ticket and received the e-KTP and the letter. */
  | { readonly type: 'claim_ack'; readonly claimId: string }
  /** The counter did not commit the claim (timeout, crash): the ticket goes back, nothing moved. */
  | { readonly type: 'abandon'; readonly claimId: string }
  | { readonly type: 'close'; readonly claimId: string; readonly outcome: CloseOutcome; readonly returns: readonly ReturnedItem[] };

export interface JournalMessage {
  readonly kind: 'journal';
  readonly from: string;
  readonly bootId: string;
  readonly seq: number;
  readonly body: JournalBody;
}

export interface AckMessage {
  readonly kind: 'ack';
  readonly from: string;
  readonly bootId: string;
  readonly seq: number;
}

export type InboxMessage = JournalMessage | AckMessage | ({ readonly kind: 'claim_reply' } & ClaimReply);

/** A box's link to the office broker, retained: what `ektp-agent office leases` shows per counter. */
export interface PresencePayload {
  readonly state: 'online' | 'offline' | 'lost';
  readonly bootId: string;
  readonly ts: string;
}

export class OfficeTopics {
  constructor(
    readonly base: string,
    readonly site: string,
  ) {}
  get claim(): string {
    return `${this.base}/${this.site}/office/queue/claim`;
  }
  inbox(device: string): string {
    return `${this.base}/${this.site}/office/to/${device}`;
  }
  presence(device: string): string {
    return `${this.base}/${this.site}/office/presence/${device}`;
  }
  get presenceAll(): string {
    return `${this.base}/${this.site}/office/presence/+`;
  }
}
