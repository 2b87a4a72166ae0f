import { createHash } from 'node:crypto';
import { concatBytes, encodeTlv, parseSingle, parseTlvs } from './tlv.ts';
import { CardError, type Biodata, type FingerPosition } from './types.ts';

/**
 * Our DEVELOPMENT e-KTP card profile: modelled on the public facts (DF 7F0A, EF 6FF2 photo, two
 * minutiae files, SAM-verified signature; domain brief §1.5), not on the secret Dukcapil
 * specification. File identifiers other than 7F0A/6FF2 and every tag below are our own choice.
 */
export const DF_EKTP = 0x7f0a;

export const EF = {
  biodata: 0x6ff0,
  signature: 0x6ff1,
  photo: 0x6ff2,
  minutiae1: 0x6ff3,
  minutiae2: 0x6ff4,
  dataSignature: 0x6ff6,
} as const;

/** Files covered by the data signature, in the order they are hashed. */
export const SIGNED_FILES = [EF.biodata, EF.photo, EF.signature, EF.minutiae1, EF.minutiae2] as const;

/** The biodata template; each field a UTF-8 string under its own tag. */
export const TAG_BIODATA = 0x61;
export const BIODATA_TAGS: ReadonlyArray<readonly [keyof Biodata, number]> = [
  ['nik', 0x5f01],
  ['name', 0x5f02],
  ['birthPlace', 0x5f03],
  ['birthDate', 0x5f04],
  ['sex', 0x5f05],
  ['bloodType', 0x5f06],
  ['address', 0x5f07],
  ['rtRw', 0x5f08],
  ['kelDesa', 0x5f09],
  ['kecamatan', 0x5f0a],
  ['kabupatenKota', 0x5f0b],
  ['provinsi', 0x5f0c],
  ['religion', 0x5f0d],
  ['maritalStatus', 0x5f0e],
  ['occupation', 0x5f0f],
  ['citizenship', 0x5f10],
  ['validUntil', 0x5f11],
  ['issuePlace', 0x5f12],
  ['issueDate', 0x5f13],
];

/** Minutiae file: template 0x7F60 holding finger position (ISO/IEC 19794-2 code) and the record. */
export const TAG_FINGER = 0x7f60;
export const TAG_FINGER_POSITION = 0x80;
export const TAG_FINGER_RECORD = 0x81;
/** ISO/IEC 19794-2 finger position codes. */
export const FINGER_CODES: Readonly<Record<FingerPosition, number>> = { right_index: 2, left_index: 7 };

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(message: string, detail: Record<string, unknown> = {}): CardError {
  return new CardError('MALFORMED_DATA', message, { detail });
}

export function encodeBiodata(b: Biodata): Uint8Array {
  return encodeTlv(TAG_BIODATA, concatBytes(BIODATA_TAGS.map(([k, tag]) => encodeTlv(tag, utf8.encode(b[k])))));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEXES = new Set(['LAKI-LAKI', 'PEREMPUAN']);
const BLOOD = new Set(['A', 'B', 'AB', 'O', '-']);

export function decodeBiodata(bytes: Uint8Array): Biodata {
  const fields = parseTlvs(parseSingle(bytes, TAG_BIODATA));
  const out: Record<string, string> = {};
  for (const [key, tag] of BIODATA_TAGS) {
    const f = fields.find((x) => x.tag === tag);
    if (!f) throw malformed(`biodata field ${key} missing`, { field: key });
    try {
      out[key] = strictUtf8.decode(f.value);
    } catch {
      throw malformed(`biodata field ${key} is not UTF-8`, { field: key });
    }
  }
  if (!/^\d{16}$/.test(out.nik)) throw malformed('NIK is not 16 digits', { field: 'nik' });
  if (!ISO_DATE.test(out.birthDate)) throw malformed('birth date is not YYYY-MM-DD', { field: 'birthDate' });
  if (!SEXES.has(out.sex)) throw malformed('sex is not LAKI-LAKI/PEREMPUAN', { field: 'sex' });
  if (!BLOOD.has(out.bloodType)) throw malformed('unknown blood type', { field: 'bloodType' });
  if (out.validUntil !== 'SEUMUR HIDUP' && !ISO_DATE.test(out.validUntil)) {
    throw malformed('validity is neither SEUMUR HIDUP nor a date', { field: 'validUntil' });
  }
  return Object.freeze(out) as unknown as Biodata;
}

export function encodeFinger(position: FingerPosition, template: Uint8Array): Uint8Array {
  return encodeTlv(
    TAG_FINGER,
    concatBytes([
      encodeTlv(TAG_FINGER_POSITION, Uint8Array.of(FINGER_CODES[position])),
      encodeTlv(TAG_FINGER_RECORD, template),
    ]),
  );
}

export function decodeFinger(bytes: Uint8Array): { position: FingerPosition; template: Uint8Array } {
  const inner = parseTlvs(parseSingle(bytes, TAG_FINGER));
  const pos = inner.find((x) => x.tag === TAG_FINGER_POSITION);
  const rec = inner.find((x) => x.tag === TAG_FINGER_RECORD);
  if (!pos || pos.value.length !== 1 || !rec || rec.value.length === 0) throw malformed('minutiae file incomplete');
  const position = (Object.keys(FINGER_CODES) as FingerPosition[]).find((p) => FINGER_CODES[p] === pos.value[0]);
  if (!position) throw malformed('finger position is not an index finger', { code: pos.value[0] });
  return { position, template: rec.value };
}

/** SHA-256 over each signed file as TLV(fid, content), in SIGNED_FILES order. */
export function dataDigest(files: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const h = createHash('sha256');
  for (const fid of SIGNED_FILES) {
    const content = files.get(fid);
    if (!content) throw malformed(`file ${fid.toString(16)} missing for the data digest`);
    h.update(encodeTlv(fid, content));
  }
  return new Uint8Array(h.digest());
}

/** FCP template returned by SELECT with P2=04: 62 { 80 size(2) 82 01 01 83 fid(2) }. */
export function encodeFcp(fid: number, size: number): Uint8Array {
  return encodeTlv(
    0x62,
    concatBytes([
      encodeTlv(0x80, Uint8Array.of(size >> 8, size & 0xff)),
      encodeTlv(0x82, Uint8Array.of(0x01)),
      encodeTlv(0x83, Uint8Array.of(fid >> 8, fid & 0xff)),
    ]),
  );
}

/** READ BINARY offsets are 15 bits (P1 bit 8 clear), so no EF may exceed 32767 bytes. */
export const MAX_EF_SIZE = 0x7fff;

export function decodeFcpSize(fcp: Uint8Array): number {
  const size = parseTlvs(parseSingle(fcp, 0x62)).find((x) => x.tag === 0x80);
  if (!size || size.value.length !== 2) throw malformed('FCP lacks a 2-byte file size');
  const n = (size.value[0] << 8) | size.value[1];
  if (n > MAX_EF_SIZE) throw malformed('file larger than the profile allows', { size: n });
  return n;
}
