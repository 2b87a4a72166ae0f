import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CounterError } from '../errors.ts';
import { validateNik } from '../../drivers/card/nik.ts';
import { DEV_KEY_ID, devRosterPublicKey } from './devKey.ts';
import type { RosterEntry, RosterPayload, SignedRosterFile } from './types.ts';

export function signRoster(payload: RosterPayload, key: KeyObject, keyId: string): SignedRosterFile {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  return {
    format: 'ektp-roster-signed/1',
    keyId,
    payload: bytes.toString('base64'),
    signature: sign(null, bytes, key).toString('base64'),
  };
}

/** Resolves `roster.trustedKeys` entries: "dev:roster-signing" or a path to a PEM public key. */
export function loadTrustedKeys(entries: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const entry of entries) {
    if (entry === DEV_KEY_ID) keys.set(DEV_KEY_ID, devRosterPublicKey());
    else keys.set(entry, createPublicKey(readFileSync(entry)));
  }
  return keys;
}

export interface VerifiedRoster {
  readonly payload: RosterPayload;
  readonly keyId: string;
  readonly sha256: string;
}

function reject(message: string, detail: Record<string, unknown> = {}): never {
  throw new CounterError('ROSTER_INVALID', message, { detail });
}

/**
 * Verifies the signature first, then every entry; any problem rejects the whole file so a forged
 * or altered roster changes nothing. All entry problems are listed together.
 */
export function verifyRoster(file: unknown, trusted: Map<string, KeyObject>): VerifiedRoster {
  const f = file as Partial<SignedRosterFile> | null;
  if (!f || typeof f !== 'object' || f.format !== 'ektp-roster-signed/1') reject('not a signed roster file (format ektp-roster-signed/1)');
  if (typeof f.keyId !== 'string' || typeof f.payload !== 'string' || typeof f.signature !== 'string') {
    reject('signed roster is missing keyId, payload or signature');
  }
  const key = trusted.get(f.keyId);
  if (!key) reject(`roster is signed by "${f.keyId}", which is not a trusted key`, { keyId: f.keyId });
  const bytes = Buffer.from(f.payload, 'base64');
  const signature = Buffer.from(f.signature, 'base64');
  if (!verify(null, bytes, key, signature)) reject('roster signature does not verify: the file was altered or forged');

  let payload: RosterPayload;
  try {
    payload = JSON.parse(bytes.toString('utf8')) as RosterPayload;
  } catch {
    reject('roster payload is not JSON');
  }
  const problems = checkPayload(payload);
  if (problems.length > 0) reject(`roster has ${problems.length} problem(s): ${problems.join('; ')}`, { problems });
  return { payload, keyId: f.keyId, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function checkPayload(p: RosterPayload): string[] {
  const problems: string[] = [];
  if (p.format !== 'ektp-roster/1') problems.push('payload format is not ektp-roster/1');
  if (typeof p.batchId !== 'string' || p.batchId.length === 0) problems.push('batchId missing');
  if (typeof p.siteId !== 'string' || p.siteId.length === 0) problems.push('siteId missing');
  if (!Array.isArray(p.entries) || p.entries.length === 0) {
    problems.push('no entries');
    return problems;
  }
  const seen = { nik: new Set<string>(), letter: new Set<string>(), uid: new Set<string>() };
  p.entries.forEach((e: RosterEntry, i) => {
    const at = `entries[${i}]`;
    if (typeof e.letterNo !== 'string' || e.letterNo === '') problems.push(`${at}.letterNo missing`);
    if (typeof e.cardUid !== 'string' || !/^[0-9A-F]{8,20}$/.test(e.cardUid)) problems.push(`${at}.cardUid must be 8-20 upper-case hex digits`);
    const v = e.validation;
    if (!v || typeof v !== 'object') {
      problems.push(`${at}.validation missing`);
      return;
    }
    // Structure and region codes only; date/sex inconsistencies exist in real NIKs and pass.
    const nik = typeof v.nik === 'string' ? validateNik(v.nik, { birthDate: v.birthDate, sex: v.sex }) : null;
    if (!nik?.ok) problems.push(`${at}.validation.nik: ${nik ? nik.errors.map((e) => e.message).join('; ') : 'missing'}`);
    if (typeof v.name !== 'string' || v.name.trim() === '') problems.push(`${at}.validation.name missing`);
    // Duplicates are reported by position only: the message must not carry the NIK into logs.
    if (seen.nik.has(v.nik)) problems.push(`${at}: duplicate NIK`);
    if (seen.letter.has(e.letterNo)) problems.push(`${at}: duplicate letterNo`);
    if (seen.uid.has(e.cardUid)) problems.push(`${at}: duplicate cardUid`);
    seen.nik.add(v.nik);
    seen.letter.add(e.letterNo);
    seen.uid.add(e.cardUid);
  });
  return problems;
}
