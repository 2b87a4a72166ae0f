export type ItemKind = 'ektp' | 'old_ktp' | 'letter' | 'queue_ticket' | 'receipt';

/**
 * Where each physical item can be. Every move is a custody event; reconciliation checks that the
 * sum over states equals what came in.
 * - ektp: on_hand (delivered to the site) → issued | retained (gagal, damaged: for destruction)
 *   → sent_for_destruction (in a signed return batch to Ditjen Dukcapil via the Dinas);
 *   on_hand → not_delivered (on the roster, missing from the Dinas's box at serah terima)
 * - old_ktp: held (taken at intake) → returned (to the resident) | kept (by staff)
 *   → lent (back to the resident during the transition) → kept; kept → handed_over (signed batch
 *   to the Dinas) → destroyed (signed destruction batch)
 * - letter: held → returned | kept
 * - queue_ticket: with_resident → kept (collected at the counter)
 * - receipt: kept (staff copy of the tanda terima)
 * - sent (ektp, letter): handed to another box of the office; office_moves says which, and that
 *   box's ledger holds it from then on (agent/office/, `ektp-agent report office`)
 */
export const ITEM_STATES = {
  ektp: ['on_hand', 'issued', 'retained', 'sent_for_destruction', 'not_delivered', 'sent'],
  old_ktp: ['held', 'returned', 'kept', 'lent', 'handed_over', 'destroyed'],
  letter: ['held', 'returned', 'kept', 'sent'],
  queue_ticket: ['with_resident', 'kept'],
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
