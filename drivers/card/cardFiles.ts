import { sign, type KeyObject } from 'node:crypto';
import { EF, dataDigest, encodeBiodata, encodeFinger } from './profile.ts';
import { testIssuerKeys } from './testKeys.ts';
import type { Biodata, FingerPosition } from './types.ts';

/** A virtual resident: what the caller (tests, demo) puts on a virtual card. */
export interface Resident {
  readonly biodata: Biodata;
  readonly photo: Uint8Array;
  readonly signature: Uint8Array;
  /** Exactly two index fingers, ISO/IEC 19794-2 records. */
  readonly fingers: ReadonlyArray<{ readonly position: FingerPosition; readonly template: Uint8Array }>;
}

/**
 * Builds the EF contents of a development-profile e-KTP for `resident`, signed with the TEST
 * issuer key (or `issuerKey`). The demo uses this so the same residents appear on the sim path and
 * on the pcscd + vpcd path.
 */
export function buildCardFiles(resident: Resident, issuerKey: KeyObject = testIssuerKeys().privateKey): Map<number, Uint8Array> {
  if (resident.fingers.length !== 2) throw new RangeError('a resident needs exactly two finger templates');
  const files = new Map<number, Uint8Array>([
    [EF.biodata, encodeBiodata(resident.biodata)],
    [EF.photo, resident.photo.slice()],
    [EF.signature, resident.signature.slice()],
    [EF.minutiae1, encodeFinger(resident.fingers[0].position, resident.fingers[0].template)],
    [EF.minutiae2, encodeFinger(resident.fingers[1].position, resident.fingers[1].template)],
  ]);
  files.set(EF.dataSignature, signDigest(dataDigest(files), issuerKey));
  return files;
}

export function signDigest(digest: Uint8Array, key: KeyObject): Uint8Array {
  return new Uint8Array(sign('sha256', digest, { key, dsaEncoding: 'der' }));
}
