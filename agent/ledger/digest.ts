import { createHash } from 'node:crypto';

/** Digest of one roster row as imported; the audit keeps it so an edited resident shows. */
export function residentDigest(r: { id: number; nik: string | null; name: string | null; letter_no: string; card_uid: string; validation_json: string | null }): string {
  return createHash('sha256').update(JSON.stringify([r.id, r.nik, r.name, r.letter_no, r.card_uid, r.validation_json])).digest('hex');
}

/**
 * Digest of the columns of a resident row that survive a purge (no personal data), so a purged
 * row is still checked: its letter and card cannot be swapped after the names are gone.
 */
export function residentPublicDigest(r: { id: number; letter_no: string; card_uid: string }): string {
  return createHash('sha256').update(JSON.stringify(['public/1', r.id, r.letter_no, r.card_uid])).digest('hex');
}
