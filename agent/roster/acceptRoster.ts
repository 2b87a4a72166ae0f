import type { KeyObject } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CounterError } from '../errors.ts';
import { verifyRoster, type VerifiedRoster } from './signedRoster.ts';

/**
 * The largest signed roster a box accepts: a Dinas delivery of a few thousand cards is a few MB
 * (about 1 kB per entry, base64 included). A stick or an MQTT message much larger than that is
 * not a roster, and reading it whole would only cost the Pi its memory.
 */
export const ROSTER_MAX_BYTES = 16 * 1024 * 1024;

export interface AcceptOptions {
  readonly siteId: string;
  readonly trusted: Map<string, KeyObject>;
  readonly maxBytes?: number;
}

function tooLarge(size: number, max: number): never {
  throw new CounterError('ROSTER_TOO_LARGE', `roster is ${size} bytes; a roster may be at most ${max} bytes`, { detail: { size, max } });
}

/**
 * A roster meant for this box: signed by a trusted key (signature over the exact payload bytes, so
 * an edited roster fails) and addressed to this site. The Dinas signs one roster per site; a
 * roster for the office next door, however validly signed, would put another site's residents
 * and cards into this ledger, so it is refused before anything is written.
 */
export function checkRosterSite(roster: VerifiedRoster, siteId: string): VerifiedRoster {
  if (roster.payload.siteId !== siteId) {
    throw new CounterError('ROSTER_WRONG_SITE', `roster batch ${roster.payload.batchId} is for site "${roster.payload.siteId}", not this site "${siteId}"`, {
      detail: { batchId: roster.payload.batchId, rosterSite: roster.payload.siteId, site: siteId },
    });
  }
  return roster;
}

/** Parses, verifies and site-checks roster bytes (a file, a USB stick, an MQTT payload). */
export function acceptRosterBytes(bytes: Buffer, opts: AcceptOptions): VerifiedRoster {
  const max = opts.maxBytes ?? ROSTER_MAX_BYTES;
  if (bytes.length > max) tooLarge(bytes.length, max);
  let file: unknown;
  try {
    file = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CounterError('ROSTER_INVALID', 'roster file is not JSON');
  }
  return checkRosterSite(verifyRoster(file, opts.trusted), opts.siteId);
}

/** Reads a roster file, refusing one over the cap before reading it whole. */
export function readRosterFile(path: string, maxBytes = ROSTER_MAX_BYTES): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) tooLarge(size, maxBytes);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
