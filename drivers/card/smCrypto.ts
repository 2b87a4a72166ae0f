import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { CardError } from './types.ts';

/**
 * Symmetric primitives of our development profile: 3-key Triple-DES (168-bit, the SAM requirement
 * in the Permendagri 34/2014 annex), CBC with a zero IV, ISO/IEC 9797-1 padding method 2 and a
 * CBC-MAC (ISO/IEC 9797-1 MAC algorithm 1) truncated to 8 bytes. Replay protection comes from the
 * send sequence counter inside the MAC, as in ICAO 9303 secure messaging.
 */
const ZERO_IV = Buffer.alloc(8);
export const KEY_LENGTH = 24;

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_LENGTH) throw new RangeError(`3DES key must be ${KEY_LENGTH} bytes`);
}

export function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / 8) + 1) * 8);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

export function unpad(data: Uint8Array): Uint8Array {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0) i--;
  if (i < 0 || data[i] !== 0x80 || data.length - i > 8) {
    throw new CardError('MALFORMED_DATA', 'bad ISO 9797-1 padding in secure messaging', { detail: { step: 'sm-unpad' } });
  }
  return data.slice(0, i);
}

export function encrypt(key: Uint8Array, plain: Uint8Array): Uint8Array {
  checkKey(key);
  if (plain.length % 8 !== 0) throw new RangeError('3DES input must be a multiple of 8 bytes');
  const c = createCipheriv('des-ede3-cbc', key, ZERO_IV);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(plain), c.final()]));
}

export function decrypt(key: Uint8Array, cipher: Uint8Array): Uint8Array {
  checkKey(key);
  if (cipher.length === 0 || cipher.length % 8 !== 0) {
    throw new CardError('MALFORMED_DATA', 'cryptogram length is not a multiple of 8', { detail: { length: cipher.length } });
  }
  const d = createDecipheriv('des-ede3-cbc', key, ZERO_IV);
  d.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([d.update(cipher), d.final()]));
}

/** 8-byte CBC-MAC over the padded input. */
export function mac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = encrypt(key, pad(data));
  return c.slice(c.length - 8);
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** KDF: first 24 bytes of SHA-256(seed || counter), counter 1 for encryption, 2 for MAC. */
export function deriveKey(seed: Uint8Array, counter: 1 | 2): Uint8Array {
  const h = createHash('sha256').update(seed).update(Uint8Array.of(0, 0, 0, counter)).digest();
  return new Uint8Array(h.subarray(0, KEY_LENGTH));
}

export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError('xor of unequal lengths');
  return a.map((v, i) => v ^ b[i]);
}
