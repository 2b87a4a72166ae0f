import { CardError } from './types.ts';

/** One BER-TLV data object. `tag` holds the tag bytes as a number (e.g. 0x5F01). */
export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

function malformed(message: string, offset: number): CardError {
  return new CardError('MALFORMED_DATA', message, { detail: { offset } });
}

/** ISO/IEC 7816-4 §5.2: '00' and 'FF' are not tags; they may pad before, between or after objects. */
const isPadding = (b: number): boolean => b === 0x00 || b === 0xff;

/**
 * Parses a flat sequence of BER-TLV objects (ISO/IEC 7816-4 §5.2). Tags up to 3 bytes, lengths up
 * to 3 bytes (0x83); indefinite length and overruns are MALFORMED_DATA, never an out-of-bounds read.
 * Padding bytes 0x00/0xFF before, between and after objects are skipped, as §5.2 allows: chip EFs
 * are fixed-size and an issuer may leave the unused tail erased (00) or unwritten (FF).
 */
export function parseTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (isPadding(bytes[i])) {
      i += 1;
      continue;
    }
    const start = i;
    let tag = bytes[i++];
    if ((tag & 0x1f) === 0x1f) {
      let n = 0;
      do {
        if (i >= bytes.length) throw malformed('TLV tag runs past the end', start);
        if (++n > 2) throw malformed('TLV tag longer than 3 bytes', start);
        tag = (tag << 8) | bytes[i];
      } while (bytes[i++] & 0x80);
    }
    if (i >= bytes.length) throw malformed('TLV length missing', start);
    let len = bytes[i++];
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3) throw malformed('TLV length form not supported', start);
      if (i + n > bytes.length) throw malformed('TLV length runs past the end', start);
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | bytes[i++];
    }
    if (i + len > bytes.length) throw malformed('TLV value runs past the end', start);
    out.push({ tag, value: bytes.slice(i, i + len) });
    i += len;
  }
  return out;
}

/** Parses and requires exactly one object with the given tag; returns its value. */
export function parseSingle(bytes: Uint8Array, tag: number): Uint8Array {
  const all = parseTlvs(bytes);
  if (all.length !== 1 || all[0].tag !== tag) {
    throw malformed(`expected one TLV ${tag.toString(16)}, got ${all.map((t) => t.tag.toString(16)).join(',')}`, 0);
  }
  return all[0].value;
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes: number[] = [];
  for (let t = tag; t > 0 || tagBytes.length === 0; t >>>= 8) tagBytes.unshift(t & 0xff);
  const n = value.length;
  let lenBytes: number[];
  if (n < 0x80) lenBytes = [n];
  else if (n <= 0xff) lenBytes = [0x81, n];
  else if (n <= 0xffff) lenBytes = [0x82, n >> 8, n & 0xff];
  else if (n <= 0xffffff) lenBytes = [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  else throw new RangeError('TLV value too long');
  const out = new Uint8Array(tagBytes.length + lenBytes.length + n);
  out.set(tagBytes, 0);
  out.set(lenBytes, tagBytes.length);
  out.set(value, tagBytes.length + lenBytes.length);
  return out;
}

export function concatBytes(parts: ReadonlyArray<Uint8Array>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
