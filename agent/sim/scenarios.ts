import type { CardData } from '../../drivers/card/types.ts';
import type { VirtualResident } from './residents.ts';

/**
 * What happens to each resident on the scripted demo day. The script only plays the physical
 * side (which card goes on the reader, which finger on the sensor, which button); outcomes are
 * read back from the ledger afterwards, so a scenario that does not go as planned shows up in
 * the summary instead of being counted as intended.
 */
export type Scenario =
  | 'berhasil_first_try'
  | 'berhasil_left_finger'
  | 'berhasil_after_quality_retry'
  | 'wrong_card_first'
  | 'gagal_fingerprint'
  | 'dispute_agrees'
  | 'dispute_differs'
  | 'print_mismatch'
  | 'card_damaged'
  | 'cancelled'
  | 'card_unreadable'
  | 'no_show';

/** One resident of a virtual day: who, what happens to them, and the e-KTP they collect. */
export interface PlayedResident {
  readonly resident: VirtualResident;
  readonly scenario: Scenario;
  readonly card: CardData;
}

/** The rotation guarantees every kind at least once from twelve residents on. */
const ROTATION: readonly Scenario[] = [
  'berhasil_first_try',
  'berhasil_left_finger',
  'gagal_fingerprint',
  'dispute_agrees',
  'dispute_differs',
  // Within the first six: the power-loss test (6 residents) must reach UNVERIFIED too, and the
  // two disputes before it give the short DISPUTE_REVIEW state two chances to be cut.
  'card_unreadable',
  'cancelled',
  'no_show',
  'berhasil_after_quality_retry',
  'wrong_card_first',
  'print_mismatch',
  'card_damaged',
];

export function scenarioFor(index: number): Scenario {
  return ROTATION[index % ROTATION.length];
}

/** Outcome kinds reported in summary.json, classified from the ledger. */
export type OutcomeKind =
  | 'berhasil_first_try'
  | 'berhasil_left_finger'
  | 'berhasil_after_retry'
  | 'gagal_fingerprint'
  | 'dispute_agrees'
  | 'dispute_differs'
  | 'print_mismatch'
  | 'card_damaged'
  | 'cancelled'
  | 'card_unreadable'
  | 'no_show'
  | 'not_on_roster'
  | 'double_pickup'
  | 'interrupted';

export function classify(tx: { outcome: string; reason: string | null; attempts: number; finger: string | null }, firstFinger: string): OutcomeKind {
  if (tx.outcome === 'berhasil') {
    if (tx.reason === 'data_disputed') return 'dispute_agrees';
    if (tx.finger !== firstFinger) return 'berhasil_left_finger';
    return tx.attempts <= 1 ? 'berhasil_first_try' : 'berhasil_after_retry';
  }
  // An unreadable chip is "belum dapat diverifikasi" (tertunda), not a verdict.
  if (tx.outcome === 'tertunda') return 'card_unreadable';
  if (tx.outcome === 'gagal') {
    if (tx.reason === 'data_mismatch') return 'dispute_differs';
    if (tx.reason === 'print_mismatch') return 'print_mismatch';
    if (tx.reason === 'card_damaged') return 'card_damaged';
    if (tx.reason === 'card_unreadable' || tx.reason === 'sig_invalid') return 'card_unreadable';
    return 'gagal_fingerprint';
  }
  if (tx.reason === 'no_show') return 'no_show';
  if (tx.reason === 'interrupted') return 'interrupted';
  if (tx.reason === 'already_issued') return 'double_pickup';
  return 'cancelled';
}
