import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * DEVELOPMENT ROSTER SIGNING KEY — NOT FOR PRODUCTION.
 * Derived from a public, fixed seed so the simulated counter, the demo and the tests can sign and
 * verify rosters on any machine. Anyone can forge a roster with it; a real deployment lists the
 * Dinas's own public key in `roster.trustedKeys` and drops "dev:roster-signing".
 */
export const DEV_KEY_ID = 'dev:roster-signing';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function devRosterPrivateKey(): KeyObject {
  const seed = createHash('sha256').update('ektp-counter-agent development roster key, NOT FOR PRODUCTION').digest();
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function devRosterPublicKey(): KeyObject {
  return createPublicKey(devRosterPrivateKey());
}
