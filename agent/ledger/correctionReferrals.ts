import { ledgerDatabase, type Ledger } from './ledger.ts';

export interface CorrectionReferral {
  readonly queueNumber: string;
  readonly letterNo: string;
  /** Null once retention purged the personal data (the referral itself still counts). */
  readonly name: string | null;
  readonly nik: string | null;
  /**
   * data_mismatch: the card differs from the dokumen pengesahan, it was not handed over and the
   * data must be corrected before a new card (the Dinas invites the resident, SOP step 17);
   * data_disputed: the card matches the dokumen pengesahan but the resident says the data is
   * wrong, referred to the regular correction service (step 10).
   */
  readonly reason: 'data_mismatch' | 'data_disputed';
}

/**
 * The residents of one service day to be invited for data correction, for the Dinas. Raw NIKs:
 * whoever prints or exports the list masks them (slips/mask.ts).
 */
export function correctionReferrals(ledger: Ledger, day = ledger.day()): CorrectionReferral[] {
  return ledgerDatabase(ledger)
    .prepare(
      `SELECT k.number AS queueNumber, r.letter_no AS letterNo, r.name, r.nik, x.reason
         FROM transactions x JOIN tickets k ON k.id = x.ticket_id JOIN residents r ON r.id = x.resident_id
        WHERE k.day = ? AND x.closed_at IS NOT NULL AND x.reason IN ('data_mismatch', 'data_disputed')
        ORDER BY x.closed_at, k.number`,
    )
    .all(day) as CorrectionReferral[];
}
