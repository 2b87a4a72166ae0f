import type { Biodata } from '../../drivers/card/types.ts';

/** One e-KTP delivered to this site, with its summons letter and validation document. */
export interface RosterEntry {
  readonly letterNo: string;
  readonly cardUid: string;
  /**
   * The signed biodata verification record of the enrolment (the "validation document"), the
   * reference a disputed card is compared with. Biodata only: the photo, signature and
   * fingerprints of the record stay at the Dinas.
   */
  readonly validation: Biodata;
}

export interface RosterPayload {
  readonly format: 'ektp-roster/1';
  readonly batchId: string;
  readonly siteId: string;
  readonly deliveredAt: string;
  readonly entries: readonly RosterEntry[];
}

/** The file as delivered: the payload bytes, base64, and an Ed25519 signature over them. */
export interface SignedRosterFile {
  readonly format: 'ektp-roster-signed/1';
  readonly keyId: string;
  readonly payload: string;
  readonly signature: string;
}
