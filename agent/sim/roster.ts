import type { KeyObject } from 'node:crypto';
import { devRosterPrivateKey, DEV_KEY_ID } from '../roster/devKey.ts';
import { signRoster } from '../roster/signedRoster.ts';
import type { RosterPayload, SignedRosterFile } from '../roster/types.ts';
import type { VirtualResident } from './residents.ts';

/** Who signs a virtual roster: the development key unless a test brings its own (a counter with a real device refuses the dev key). */
export interface RosterSigner {
  readonly key: KeyObject;
  readonly keyId: string;
}

/** A delivery roster for virtual residents, signed with the development key (not for production) or `signer`. */
export function virtualRoster(
  residents: readonly VirtualResident[],
  siteId: string,
  batchId: string,
  deliveredAt: string,
  signer: RosterSigner = { key: devRosterPrivateKey(), keyId: DEV_KEY_ID },
): SignedRosterFile {
  const payload: RosterPayload = {
    format: 'ektp-roster/1',
    batchId,
    siteId,
    deliveredAt,
    entries: residents.map((r) => ({ letterNo: r.letterNo, cardUid: r.cardUid, validation: r.biodata })),
  };
  return signRoster(payload, signer.key, signer.keyId);
}
