import { createECDH, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * TEST KEYS. NOT FOR PRODUCTION. NOT DUKCAPIL KEYS.
 *
 * Derived deterministically from public labels so tests, the demo and the benchmark agree without
 * any key file. Anyone can recompute them: they protect nothing and must never be configured on a
 * counter that reads real e-KTP cards (a real counter uses the licensed Dukcapil SAM).
 */
const LABEL = 'ektp-counter development profile TEST KEY - NOT FOR PRODUCTION';

function labelled(purpose: string): Buffer {
  return createHash('sha256').update(`${LABEL}/${purpose}`).digest();
}

/** 3-key 3DES master key of the development SAM (24 bytes). */
export function testSamMasterKey(): Uint8Array {
  return new Uint8Array(labelled('sam-master').subarray(0, 24));
}

let issuer: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** ECDSA P-256 key pair of the pretend issuer that signs virtual cards' data. */
export function testIssuerKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  if (issuer) return issuer;
  const d = labelled('issuer-ecdsa-p256');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey(); // 04 || X || Y
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    d: d.toString('base64url'),
    x: pub.subarray(1, 33).toString('base64url'),
    y: pub.subarray(33, 65).toString('base64url'),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  issuer = { privateKey, publicKey: createPublicKey(privateKey) };
  return issuer;
}
