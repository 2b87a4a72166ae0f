import { createHash } from 'node:crypto';
import { SecureChannel } from './secureChannel.ts';
import { decrypt, deriveKey, encrypt, mac, macEquals, xor } from './smCrypto.ts';
import { concatBytes } from './tlv.ts';

/**
 * The key agreement shared by the development SAM and the virtual card (development profile, see
 * README "Mutual authentication"). Each chip has its own key pair, diversified from the SAM master
 * key with the chip UID, so one leaked card key does not open other cards. The cryptogram is
 * `3DES(Kenc, A8 || B8 || K16) || MAC(Kmac, ...)`, 40 bytes, as in ICAO 9303 BAC but with 3-key 3DES.
 */
export interface StaticKeys {
  readonly kEnc: Uint8Array;
  readonly kMac: Uint8Array;
}

export const CHALLENGE_LENGTH = 8;
export const KEY_SEED_LENGTH = 16;
export const CRYPTOGRAM_LENGTH = 40;

export function diversify(masterKey: Uint8Array, uid: Uint8Array): StaticKeys {
  const seed = createHash('sha256').update(masterKey).update(uid).digest();
  return { kEnc: deriveKey(seed, 1), kMac: deriveKey(seed, 2) };
}

export function sealCryptogram(keys: StaticKeys, a: Uint8Array, b: Uint8Array, k: Uint8Array): Uint8Array {
  const e = encrypt(keys.kEnc, concatBytes([a, b, k]));
  return concatBytes([e, mac(keys.kMac, e)]);
}

/** Returns the three parts, or null when the length or MAC is wrong. Never throws on bad input. */
export function openCryptogram(
  keys: StaticKeys,
  c: Uint8Array,
): { a: Uint8Array; b: Uint8Array; k: Uint8Array } | null {
  if (c.length !== CRYPTOGRAM_LENGTH) return null;
  const e = c.subarray(0, 32);
  if (!macEquals(mac(keys.kMac, e), c.subarray(32))) return null;
  const p = decrypt(keys.kEnc, e);
  return { a: p.slice(0, 8), b: p.slice(8, 16), k: p.slice(16, 32) };
}

/** Session keys from both key seeds; SSC from the two challenges (as ICAO 9303). */
export function openSession(kIfd: Uint8Array, kIcc: Uint8Array, rndIcc: Uint8Array, rndIfd: Uint8Array): SecureChannel {
  const seed = xor(kIfd, kIcc);
  const ssc = concatBytes([rndIcc.subarray(4, 8), rndIfd.subarray(4, 8)]);
  return new SecureChannel(deriveKey(seed, 1), deriveKey(seed, 2), ssc);
}
