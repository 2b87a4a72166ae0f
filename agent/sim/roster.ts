import { devRosterPrivateKey, DEV_KEY_ID } from '../roster/devKey.ts';
import { signRoster } from '../roster/signedRoster.ts';
import type { RosterPayload, SignedRosterFile } from '../roster/types.ts';
import type { VirtualResident } from './residents.ts';

/** A delivery roster for virtual residents, signed with the development key (not for production). */
export function virtualRoster(residents: readonly VirtualResident[], siteId: string, batchId: string, deliveredAt: string): SignedRosterFile {
  const payload: RosterPayload = {
    format: 'ektp-roster/1',
    batchId,
    siteId,
    deliveredAt,
    entries: residents.map((r) => ({ letterNo: r.letterNo, cardUid: r.cardUid, validation: r.biodata })),
  };
  return signRoster(payload, devRosterPrivateKey(), DEV_KEY_ID);
}
