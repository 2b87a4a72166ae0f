export type ItemKind = 'ektp' | 'old_ktp' | 'letter' | 'queue_ticket' | 'receipt';

/**
 * Where each physical item can be, following the SOP's hands (steps numbered as in the procedure
 * text behind domain brief §0). Every move is a custody event; reconciliation checks that the
 * sum over states equals what came in.
 * - ektp: on_hand (delivered, with the support officer) → with_operator (at the call, step 3)
 *   → with_support (after the verdict, step 11) → issued (step 12) | retained (step 14; gagal,
 *   rusak: for destruction) → sent_for_destruction (signed batch to Ditjen Dukcapil, step 15).
 *   A call that ends before the verdict puts the card back on_hand. on_hand → not_delivered (on
 *   the roster, missing from the Dinas's box at serah terima).
 * - old_ktp: held (support officer, from intake; it never goes to the operator, step 3)
 *   → returned (to the resident, step 14) | kept (step 13) → handed_over (signed batch to the
 *   Dinas, step 16) → lent (by the Dinas, back to the owner) → handed_over → destroyed (signed
 *   destruction batch, from the Dinas's custody only). In a multi-counter office the verdict is
 *   given at a counter while the old KTP stays in the desk's drawer: held → awaiting_return
 *   (gagal, cancelled, unverified with the documents returned: still at the desk, owed to the
 *   resident) → returned when the officer hands it back at the desk (agent/intake/handback.ts),
 *   or returned | kept by close-day for a resident who never came back.
 * - letter: held → with_operator (step 3) → with_support (step 11) → kept | returned
 * - queue_ticket: with_resident → with_operator (handed over when the call is answered, step 5)
 *   → with_support (step 11) → kept
 * - receipt: kept (staff copy of the tanda terima)
 * - sent (ektp, letter): handed to another box of the office; office_moves says which, and that
 *   box's ledger holds it from then on (agent/office/, `ektp-agent report office`)
 */
export const ITEM_STATES = {
  ektp: ['on_hand', 'with_operator', 'with_support', 'issued', 'retained', 'sent_for_destruction', 'not_delivered', 'sent'],
  old_ktp: ['held', 'awaiting_return', 'returned', 'kept', 'lent', 'handed_over', 'destroyed'],
  letter: ['held', 'with_operator', 'with_support', 'returned', 'kept', 'sent'],
  queue_ticket: ['with_resident', 'with_operator', 'with_support', 'kept'],
  receipt: ['kept'],
} as const satisfies Record<ItemKind, readonly string[]>;

export type ItemState<K extends ItemKind = ItemKind> = (typeof ITEM_STATES)[K][number];

export interface Resident {
  readonly id: number;
  readonly nik: string;
  readonly name: string;
  readonly letterNo: string;
  readonly cardUid: string;
  readonly validationJson: string;
}

export interface Ticket {
  readonly id: number;
  readonly number: string;
  readonly day: string;
  readonly residentId: number;
  readonly state: 'waiting' | 'called' | 'served' | 'no_show' | 'cancelled';
  readonly calls: number;
  readonly issuedAt: string;
}

export interface StoredTransaction {
  readonly id: string;
  readonly ticketId: number;
  readonly residentId: number;
  readonly state: string;
  readonly stateJson: string;
  readonly startedAt: string;
}
