/**
 * ISO/IEC 19794-2:2005 finger minutiae record ("FMR\0" + " 20\0"), the format the e-KTP card most
 * probably stores (see docs: ektp-domain.md §1.3 and §3). Layout, big-endian:
 *
 *   record header (24 bytes)
 *     0  4  format identifier "FMR\0"
 *     4  4  version " 20\0"
 *     8  4  total record length in bytes
 *    12  2  capture equipment: 4 bits compliance (written 0, ignored) + 12 bits equipment id
 *    14  2  image width (px)       16  2  image height (px)
 *    18  2  x resolution (px/cm)   20  2  y resolution (px/cm)   (197 px/cm = 500 dpi)
 *    22  1  number of finger views 23  1  reserved
 *   per finger view
 *     0  1  finger position (0 unknown, 1..10 right thumb..left little; 2 = right index, 7 = left index)
 *     1  1  view number (high 4 bits) + impression type (low 4 bits: 0..3 plain/rolled, 8 swipe)
 *     2  1  finger quality 0..100
 *     3  1  number of minutiae
 *     then 6 bytes per minutia:
 *       2 bits type (01 ending, 10 bifurcation, 00 other, 11 invalid) + 14 bits x
 *       2 bits reserved + 14 bits y
 *       1 byte angle in units of 360/256 degrees
 *       1 byte quality 0..100
 *     then 2 bytes extended data block length (0 = none) and that many bytes of extended data
 *     areas, each: 2 bytes type id (non-zero), 2 bytes data length, data.
 *
 * Direction convention (ISO/IEC 19794-2:2005 clause 5, shared by ANSI/INCITS 378), which
 * `Minutia.direction` follows everywhere (extractor, comparator, this codec, the compact card):
 * - the angle is counter-clockwise from the horizontal axis pointing right, as the image is seen
 *   on screen (origin top left, rows grow downwards), so a direction θ points along
 *   (cos θ, −sin θ) in pixel coordinates; one byte unit is 360/256 = 1.40625°;
 * - a ridge ending is placed at the fork of the valley skeleton in front of the ridge tip and its
 *   direction runs *up the ridge*, from the tip into the ridge that ends;
 * - a bifurcation is placed at the fork of the ridge skeleton and its direction runs *down the
 *   valley* between the two branches (away from the stem);
 * - both are the bisector of the smallest angle of the "Y" (three rays ~1.9 mm along the skeleton
 *   legs), so an ending in one impression that is a bifurcation in another keeps its direction.
 * Sources (the standard itself is paywalled): ANSI/NIST-ITL 1-2011 Update 2013, EFS minutia
 * placement (Field 9.331, Figures 38-39: bifurcation "theta angle should run down the valley",
 * ridge ending "theta angle should run up the ridge", placement "corresponds with that used for
 * the FBI's EFTS and INCITS 378"; direction = bisector of the smallest of the three rays' angles);
 * NIST "Marking minutiae" training (tsapps.nist.gov/trainingtool, the same rule, stated as
 * interoperable with INCITS 378); the CC BY 4.0 summary of ISO/IEC 19794-2:2005 written from the
 * standard (templates.machinezoo.com/iso-19794-2-2005), whose SourceAFIS reads ISO angles with no
 * 180° turn while its own "ridge endings point towards the ridge". Checked on data:
 * test/matcher/isoConvention.test.ts compares our directions with FingerJet FX OSE's records of the
 * same images (about 75% of its minutiae agree within 10 px / 30°; 5% did with matcher 1.2.0, whose
 * endings pointed out of the tip). No vendor is special-cased: conversion is only a change of unit.
 *
 * Decoding (`decodeIso19794`) reads " 20\0" (2005, above) and "030\0" (2011, see decode2011)
 * records. The record length field rules: zero bytes after the record are a chip file's padding
 * and ignored; any other byte after it is an error. It validates every field and throws
 * `TemplateError` with a code:
 *   UNSUPPORTED_FORMAT  wrong magic or version (e.g. ANSI 378, whose header differs)
 *   TRUNCATED           fewer bytes than a field or the declared length needs
 *   INVALID_TEMPLATE    structure does not add up (length mismatch, non-zero bytes after the record)
 *   OUT_OF_RANGE        a field value the standard does not allow
 * It reads each byte at most a bounded number of times, so it cannot hang, and checks every offset
 * before reading.
 *
 * Extended data (ridge counts, cores/deltas, zonal quality) is framed and then dropped: the
 * matcher does not use it. Areas whose length counts their own header (ANSI 378 habit) or that
 * do not frame at all are skipped with a warning in `IsoRecord.warnings`, never at the cost of
 * the minutiae. Minutiae of type "other" (00) decode as endings (the placement ISO prescribes
 * for an unknown type), because `MinutiaType` has no third kind. Minutia quality 0 means "not
 * reported"; the comparator weighs a template whose minutiae all share one quality the same
 * whatever that quality is. `pickView` chooses the view to match in a multi-view record.
 */
import { TemplateError } from '../types.ts';
import type { Minutia, MinutiaType, Template } from '../types.ts';

export interface IsoView {
  /** ISO finger code: 2 = right index, 7 = left index, 0 unknown. */
  readonly fingerPosition: number;
  readonly viewNumber: number;
  readonly impressionType: number;
  readonly quality: number;
  /** Minutiae in the record's pixel grid (integers), direction in radians (ISO convention). */
  readonly minutiae: readonly Minutia[];
  /** 2011 records: this view's own image size and resolution (2005: the record's). */
  readonly image?: { readonly width: number; readonly height: number; readonly resolutionPpcm: { x: number; y: number } };
}

/** Something the decoder tolerated and skipped; the record still decoded. */
export interface IsoWarning {
  readonly code: 'EXTENDED_DATA_HEADER_COUNTED' | 'EXTENDED_DATA_SKIPPED';
  readonly message: string;
}

export interface IsoRecord {
  readonly width: number;
  readonly height: number;
  /** Pixels per centimetre; 197 = 500 dpi. */
  readonly resolutionPpcm: { x: number; y: number };
  readonly captureEquipmentId: number;
  readonly views: readonly IsoView[];
  /** Set by decodeIso19794 (empty when nothing was tolerated); ignored by the encoder. */
  readonly warnings?: readonly IsoWarning[];
}

const MAGIC = [0x46, 0x4d, 0x52, 0x00]; // "FMR\0"
const VERSION = [0x20, 0x32, 0x30, 0x00]; // " 20\0"
const VERSION_2011 = [0x30, 0x33, 0x30, 0x00]; // "030\0"
const RECORD_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES_2011 = 15;
/** Representation header (15), finger header (13), extended data length (2): no quality or certification block, no minutia. */
const REPRESENTATION_HEADER_BYTES_2011 = 4 + 9 + 1 + 2 + 2 + 1;
const FINGER_HEADER_BYTES_2011 = 13;
const REPRESENTATION_MIN_BYTES_2011 = REPRESENTATION_HEADER_BYTES_2011 + FINGER_HEADER_BYTES_2011 + 2;
const RIGHT_INDEX = 2;
const LEFT_INDEX = 7;
const VIEW_HEADER_BYTES = 4;
const MINUTIA_BYTES = 6;
const EXT_LENGTH_BYTES = 2;
const EXT_AREA_HEADER_BYTES = 4;
const MAX_COORDINATE = 0x3fff;
const MAX_MINUTIAE = 255;
const MAX_VIEWS = 255;
const MAX_FINGER_POSITION = 10;
const MAX_VIEW_NUMBER = 15;
const IMPRESSION_TYPES: ReadonlySet<number> = new Set([0, 1, 2, 3, 8]);
const MAX_EQUIPMENT_ID = 0xfff;
/** 500 dpi in px/cm is 196.85; records round it to 197. */
export const ISO_PPCM_500DPI = 197;
const PPCM_500DPI_EXACT = 500 / 2.54;
const ANGLE_STEPS = 256;
const TWO_PI = 2 * Math.PI;

// ---------------------------------------------------------------- encode

export function encodeIso19794(record: IsoRecord): Uint8Array {
  validateRecord(record);
  let length = RECORD_HEADER_BYTES;
  for (const view of record.views) {
    length += VIEW_HEADER_BYTES + view.minutiae.length * MINUTIA_BYTES + EXT_LENGTH_BYTES;
  }
  const bytes = new Uint8Array(length);
  const out = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes.set(VERSION, 4);
  out.setUint32(8, length);
  out.setUint16(12, record.captureEquipmentId & MAX_EQUIPMENT_ID);
  out.setUint16(14, record.width);
  out.setUint16(16, record.height);
  out.setUint16(18, record.resolutionPpcm.x);
  out.setUint16(20, record.resolutionPpcm.y);
  out.setUint8(22, record.views.length);
  out.setUint8(23, 0);
  let at = RECORD_HEADER_BYTES;
  for (const view of record.views) {
    out.setUint8(at, view.fingerPosition);
    out.setUint8(at + 1, (view.viewNumber << 4) | view.impressionType);
    out.setUint8(at + 2, view.quality);
    out.setUint8(at + 3, view.minutiae.length);
    at += VIEW_HEADER_BYTES;
    for (const m of view.minutiae) {
      out.setUint16(at, (typeBits(m.type) << 14) | Math.round(m.x));
      out.setUint16(at + 2, Math.round(m.y));
      out.setUint8(at + 4, angleByte(m.direction));
      out.setUint8(at + 5, Math.round(m.quality));
      at += MINUTIA_BYTES;
    }
    out.setUint16(at, 0); // no extended data
    at += EXT_LENGTH_BYTES;
  }
  return bytes;
}

function typeBits(type: MinutiaType): number {
  return type === 'bifurcation' ? 0b10 : 0b01;
}

function angleByte(direction: number): number {
  const turns = direction / TWO_PI;
  const steps = Math.round((turns - Math.floor(turns)) * ANGLE_STEPS);
  return steps % ANGLE_STEPS;
}

/** Refuses to write a record that `decodeIso19794` would reject. */
function validateRecord(record: IsoRecord): void {
  checkInt(record.width, 1, 0xffff, 'image width');
  checkInt(record.height, 1, 0xffff, 'image height');
  checkInt(record.resolutionPpcm.x, 1, 0xffff, 'x resolution');
  checkInt(record.resolutionPpcm.y, 1, 0xffff, 'y resolution');
  checkInt(record.captureEquipmentId, 0, MAX_EQUIPMENT_ID, 'capture equipment id');
  checkInt(record.views.length, 1, MAX_VIEWS, 'number of finger views');
  record.views.forEach((view, v) => {
    checkViewHeader(view.fingerPosition, view.viewNumber, view.impressionType, view.quality, v);
    checkInt(view.minutiae.length, 0, MAX_MINUTIAE, `view ${v}: number of minutiae`);
    view.minutiae.forEach((m, i) => {
      const where = `view ${v} minutia ${i}`;
      if (m.type !== 'ending' && m.type !== 'bifurcation') {
        throw new TemplateError('OUT_OF_RANGE', `${where}: unknown minutia type ${String(m.type)}`);
      }
      checkInt(Math.round(m.x), 0, Math.min(record.width - 1, MAX_COORDINATE), `${where}: x`);
      checkInt(Math.round(m.y), 0, Math.min(record.height - 1, MAX_COORDINATE), `${where}: y`);
      if (!Number.isFinite(m.direction)) {
        throw new TemplateError('OUT_OF_RANGE', `${where}: direction is not a finite number`);
      }
      checkInt(Math.round(m.quality), 0, 100, `${where}: quality`);
    });
  });
  checkDistinctViews(record.views);
}

// ---------------------------------------------------------------- decode

/**
 * Decodes an ISO/IEC 19794-2 record: version " 20\0" (2005) or "030\0" (2011). A chip's
 * elementary file is fixed-size, so the bytes may run on past the record: the record length
 * field rules, trailing zero bytes are padding, anything else after the record is an error.
 */
export function decodeIso19794(bytes: Uint8Array): IsoRecord {
  if (!(bytes instanceof Uint8Array)) {
    throw new TemplateError('INVALID_TEMPLATE', 'ISO 19794-2 record must be a Uint8Array');
  }
  new Reader(bytes).need(8, 'format identifier and version');
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    throw new TemplateError('UNSUPPORTED_FORMAT', 'not an ISO 19794-2 record: format identifier is not "FMR\\0"');
  }
  const is2005 = VERSION.every((b, i) => bytes[4 + i] === b);
  const is2011 = VERSION_2011.every((b, i) => bytes[4 + i] === b);
  if (!is2005 && !is2011) {
    throw new TemplateError(
      'UNSUPPORTED_FORMAT',
      `unsupported FMR version "${printable(bytes.subarray(4, 8))}", only " 20\\0" (ISO 19794-2:2005) and "030\\0" (2011) are read`,
    );
  }
  const record = withoutPadding(bytes, is2005 ? RECORD_HEADER_BYTES : RECORD_HEADER_BYTES_2011);
  const warnings: IsoWarning[] = [];
  const decoded = is2005 ? decode2005(record, warnings) : decode2011(record, warnings);
  checkDistinctViews(decoded.views);
  return Object.freeze({ ...decoded, warnings: Object.freeze(warnings) });
}

/** The record's own bytes: its length field rules, zero bytes after it are padding. */
function withoutPadding(bytes: Uint8Array, headerBytes: number): Uint8Array {
  const input = new Reader(bytes);
  input.need(12, 'record length');
  input.skip(8);
  const declared = input.u32();
  if (declared > bytes.length) {
    throw new TemplateError('TRUNCATED', `record length field says ${declared} bytes but ${bytes.length} were given`);
  }
  if (declared < headerBytes) {
    throw new TemplateError('INVALID_TEMPLATE', `record length field says ${declared} bytes, less than the ${headerBytes}-byte header`);
  }
  for (let i = declared; i < bytes.length; i++) {
    if (bytes[i] !== 0) {
      throw new TemplateError(
        'INVALID_TEMPLATE',
        `non-zero byte at ${i} after the record (record length field says ${declared} bytes, ${bytes.length} were given)`,
      );
    }
  }
  return bytes.subarray(0, declared);
}

type DecodedRecord = Omit<IsoRecord, 'warnings'>;

function decode2005(bytes: Uint8Array, warnings: IsoWarning[]): DecodedRecord {
  const input = new Reader(bytes);
  input.need(RECORD_HEADER_BYTES, 'record header');
  input.skip(12); // format, version, length (checked by withoutPadding)
  const captureEquipmentId = input.u16() & MAX_EQUIPMENT_ID;
  const width = input.u16();
  const height = input.u16();
  const resolutionPpcm = { x: input.u16(), y: input.u16() };
  const viewCount = input.u8();
  input.skip(1); // reserved
  checkImage(width, height, resolutionPpcm, '');
  if (viewCount === 0) {
    throw new TemplateError('OUT_OF_RANGE', 'record has no finger view');
  }
  const views: IsoView[] = [];
  for (let v = 0; v < viewCount; v++) {
    input.need(VIEW_HEADER_BYTES, `view ${v} header`);
    const fingerPosition = input.u8();
    const viewByte = input.u8();
    const quality = input.u8();
    const count = input.u8();
    const viewNumber = viewByte >> 4;
    const impressionType = viewByte & 0x0f;
    checkViewHeader(fingerPosition, viewNumber, impressionType, quality, v);
    const minutiae = readMinutiae(input, count, MINUTIA_BYTES, width, height, v, quality2005);
    readExtendedBlock(input, v, v === viewCount - 1, warnings);
    views.push(Object.freeze({ fingerPosition, viewNumber, impressionType, quality, minutiae }));
  }
  if (input.at !== bytes.length) {
    throw new TemplateError('INVALID_TEMPLATE', `${bytes.length - input.at} bytes left after the last finger view`);
  }
  return {
    width,
    height,
    resolutionPpcm: Object.freeze(resolutionPpcm),
    captureEquipmentId,
    views: Object.freeze(views),
  };
}

/**
 * ISO/IEC 19794-2:2011 (with 19794-1:2011's general header), as summarised from the standard
 * in templates.machinezoo.com/iso-19794-2-2011 (CC BY 4.0):
 *   general header (15): "FMR\0" "030\0", record length (4), representation count (2),
 *     certification flag (1)
 *   per representation: length (4, counts itself), capture date-time (9), device technology (1),
 *     vendor id (2), device type id (2), quality block count (1) + 5 bytes each,
 *     [certification block count (1) + 3 bytes each, when the flag is 1], finger position (1),
 *     representation number (1), x/y resolution px/cm (2+2), impression type (1), width (2),
 *     height (2), minutia field length (high 4 bits: 5 or 6) + ridge ending type (low 4 bits),
 *     minutia count (1), minutiae (5 or 6 bytes: no quality byte when 5), extended data block
 *     length (2) and areas as in 2005.
 * Minutia quality 254 ("not reported") and 255 ("failed") read as 0, 2005's "not reported".
 * Image size and resolution belong to each representation (IsoView.image); the record-level
 * fields are the first representation's.
 */
function decode2011(bytes: Uint8Array, warnings: IsoWarning[]): DecodedRecord {
  const input = new Reader(bytes);
  input.need(RECORD_HEADER_BYTES_2011, 'record header');
  input.skip(12);
  const count = input.u16();
  const certificationFlag = input.u8();
  if (count === 0) throw new TemplateError('OUT_OF_RANGE', 'record has no finger representation');
  if (certificationFlag > 1) {
    throw new TemplateError('OUT_OF_RANGE', `device certification block flag ${certificationFlag} is not 0 or 1`);
  }
  const views: IsoView[] = [];
  let captureEquipmentId = 0;
  for (let v = 0; v < count; v++) {
    const start = input.at;
    input.need(4, `representation ${v} length`);
    const length = input.u32();
    if (length < REPRESENTATION_MIN_BYTES_2011 || length > bytes.length - start) {
      throw new TemplateError(
        length > bytes.length - start ? 'TRUNCATED' : 'INVALID_TEMPLATE',
        `representation ${v} length ${length} does not fit the record (${bytes.length - start} bytes left, at least ${REPRESENTATION_MIN_BYTES_2011} needed)`,
      );
    }
    const rep = new Reader(bytes.subarray(0, start + length));
    rep.at = input.at;
    rep.need(REPRESENTATION_HEADER_BYTES_2011 - 4, `representation ${v} header`);
    rep.skip(9 + 1 + 2); // capture date-time, device technology, vendor id
    const deviceType = rep.u16();
    if (v === 0) captureEquipmentId = deviceType & MAX_EQUIPMENT_ID;
    const qualityBlocks = rep.u8();
    rep.need(qualityBlocks * 5, `representation ${v}: ${qualityBlocks} quality blocks`);
    let quality = 0;
    for (let q = 0; q < qualityBlocks; q++) {
      const score = rep.u8();
      rep.skip(4); // quality algorithm vendor and id
      if (q === 0 && score <= 100) quality = score; // 255 = failed attempt
    }
    if (certificationFlag === 1) {
      rep.need(1, `representation ${v} certification block count`);
      const blocks = rep.u8();
      rep.need(blocks * 3, `representation ${v}: ${blocks} certification blocks`);
      rep.skip(blocks * 3);
    }
    rep.need(FINGER_HEADER_BYTES_2011, `representation ${v} finger header`);
    const fingerPosition = rep.u8();
    const viewNumber = rep.u8();
    const resolutionPpcm = { x: rep.u16(), y: rep.u16() };
    const impressionType = rep.u8();
    const width = rep.u16();
    const height = rep.u16();
    const fieldByte = rep.u8();
    const minutiaCount = rep.u8();
    const where = `representation ${v}`;
    checkImage(width, height, resolutionPpcm, `${where}: `);
    checkInt(fingerPosition, 0, MAX_FINGER_POSITION, `${where}: finger position`);
    checkInt(viewNumber, 0, MAX_VIEW_NUMBER, `${where}: representation number`);
    const minutiaBytes = fieldByte >> 4;
    if (minutiaBytes !== 5 && minutiaBytes !== 6) {
      throw new TemplateError('OUT_OF_RANGE', `${where}: minutia field length ${minutiaBytes} is not 5 or 6`);
    }
    const minutiae = readMinutiae(rep, minutiaCount, minutiaBytes, width, height, v, quality2011);
    readExtendedBlock(rep, v, true, warnings);
    if (rep.at !== start + length) {
      throw new TemplateError('INVALID_TEMPLATE', `${where}: ${start + length - rep.at} bytes left inside its declared length`);
    }
    input.at = rep.at;
    views.push(Object.freeze({
      fingerPosition,
      viewNumber,
      impressionType,
      quality,
      minutiae,
      image: Object.freeze({ width, height, resolutionPpcm: Object.freeze(resolutionPpcm) }),
    }));
  }
  if (input.at !== bytes.length) {
    throw new TemplateError('INVALID_TEMPLATE', `${bytes.length - input.at} bytes left after the last finger representation`);
  }
  const first = views[0].image as NonNullable<IsoView['image']>;
  return {
    width: first.width,
    height: first.height,
    resolutionPpcm: first.resolutionPpcm,
    captureEquipmentId,
    views: Object.freeze(views),
  };
}

function checkImage(width: number, height: number, resolution: { x: number; y: number }, where: string): void {
  if (width === 0 || height === 0) {
    throw new TemplateError('OUT_OF_RANGE', `${where}image size ${width}x${height} must be non-zero`);
  }
  if (resolution.x === 0 || resolution.y === 0) {
    throw new TemplateError('OUT_OF_RANGE', `${where}image resolution must be non-zero`);
  }
}

/** 2005: 0 means "not reported", 1..100 a quality. */
function quality2005(q: number, where: string): number {
  if (q > 100) throw new TemplateError('OUT_OF_RANGE', `${where}: quality ${q} above 100`);
  return q;
}

/** 2011: 254 "not reported" and 255 "failed" read as 2005's 0 ("not reported"). */
function quality2011(q: number, where: string): number {
  if (q === 254 || q === 255) return 0;
  return quality2005(q, where);
}

function readMinutiae(
  input: Reader,
  count: number,
  bytesEach: number,
  width: number,
  height: number,
  v: number,
  quality: (q: number, where: string) => number,
): readonly Minutia[] {
  input.need(count * bytesEach, `view ${v}: ${count} minutiae`);
  const minutiae: Minutia[] = [];
  for (let i = 0; i < count; i++) {
    const where = `view ${v} minutia ${i}`;
    const xWord = input.u16();
    const y = input.u16() & MAX_COORDINATE; // top 2 bits reserved
    const angle = input.u8();
    const mq = bytesEach === MINUTIA_BYTES ? input.u8() : 0;
    const bits = xWord >> 14;
    const x = xWord & MAX_COORDINATE;
    if (bits === 0b11) throw new TemplateError('OUT_OF_RANGE', `${where}: minutia type bits 11 are reserved`);
    if (x >= width) throw new TemplateError('OUT_OF_RANGE', `${where}: x ${x} outside image width ${width}`);
    if (y >= height) throw new TemplateError('OUT_OF_RANGE', `${where}: y ${y} outside image height ${height}`);
    minutiae.push(Object.freeze({
      x,
      y,
      direction: (angle * TWO_PI) / ANGLE_STEPS,
      // "Other" (00) reads as an ending: the placement ISO prescribes for an unknown type.
      type: bits === 0b10 ? 'bifurcation' : 'ending',
      quality: quality(mq, where),
    }));
  }
  return Object.freeze(minutiae);
}

/**
 * The extended data block after a view's minutiae. ISO areas are type (2, non-zero), data
 * length (2, the data only), data. Some writers (the ANSI/INCITS 378 habit, seen in published
 * test vectors) count the 4-byte area header in the length: such a block is read with a warning.
 * A block that frames neither way is skipped with a warning (the matcher uses no extended data,
 * the minutiae stay). When the last view's block length runs past the record, the rest of the
 * record is taken as its extended data, with a warning; a block length that runs past a
 * following view cannot be framed and is an error.
 */
function readExtendedBlock(input: Reader, v: number, last: boolean, warnings: IsoWarning[]): void {
  input.need(EXT_LENGTH_BYTES, `view ${v}: extended data block length`);
  const length = input.u16();
  const left = input.remaining();
  if (length > left) {
    if (!last) {
      throw new TemplateError('TRUNCATED', `view ${v}: ${length} bytes of extended data run past the record (${left} left)`);
    }
    warnings.push({ code: 'EXTENDED_DATA_SKIPPED', message: `view ${v}: extended data block of ${length} bytes runs past the record; ${left} bytes skipped` });
    input.skip(left);
    return;
  }
  if (length === 0) return;
  const block = input.peek(length);
  if (framesAreas(block, 0)) {
    input.skip(length);
    return;
  }
  if (framesAreas(block, EXT_AREA_HEADER_BYTES)) {
    warnings.push({ code: 'EXTENDED_DATA_HEADER_COUNTED', message: `view ${v}: extended data area lengths count their 4-byte header (ANSI 378 style)` });
  } else {
    warnings.push({ code: 'EXTENDED_DATA_SKIPPED', message: `view ${v}: ${length} bytes of extended data do not frame as areas; skipped` });
  }
  input.skip(length);
}

/** Whether `block` is a whole number of areas whose length field counts `headerCounted` header bytes. */
function framesAreas(block: Uint8Array, headerCounted: number): boolean {
  let at = 0;
  while (at < block.length) {
    if (block.length - at < EXT_AREA_HEADER_BYTES) return false;
    const type = (block[at] << 8) | block[at + 1];
    const length = (block[at + 2] << 8) | block[at + 3];
    if (type === 0 || length < headerCounted) return false;
    at += EXT_AREA_HEADER_BYTES + length - headerCounted;
  }
  return at === block.length;
}

/**
 * Which view to match against when the caller names no finger: a chip may hold several views
 * (e-KTP enrols the right and left index). `fingerPosition` picks that finger; without it the
 * right index (2), else the left index (7), else the first view. Among views of the chosen
 * finger the best finger quality wins, the earliest on a tie.
 */
export function pickView(record: IsoRecord, fingerPosition?: number): number {
  const order = fingerPosition === undefined ? [RIGHT_INDEX, LEFT_INDEX] : [fingerPosition];
  for (const position of order) {
    let best = -1;
    record.views.forEach((view, i) => {
      if (view.fingerPosition === position && (best < 0 || view.quality > record.views[best].quality)) best = i;
    });
    if (best >= 0) return best;
  }
  if (fingerPosition !== undefined) {
    throw new TemplateError('OUT_OF_RANGE', `record holds no view of finger position ${fingerPosition}`);
  }
  return 0;
}

function checkViewHeader(fingerPosition: number, viewNumber: number, impressionType: number, quality: number, v: number): void {
  checkInt(fingerPosition, 0, MAX_FINGER_POSITION, `view ${v}: finger position`);
  checkInt(viewNumber, 0, MAX_VIEW_NUMBER, `view ${v}: view number`);
  if (!IMPRESSION_TYPES.has(impressionType)) {
    throw new TemplateError('OUT_OF_RANGE', `view ${v}: impression type ${impressionType} is not 0..3 or 8`);
  }
  checkInt(quality, 0, 100, `view ${v}: finger quality`);
}

function checkDistinctViews(views: readonly IsoView[]): void {
  const seen = new Set<number>();
  for (const view of views) {
    const key = view.fingerPosition * 16 + view.viewNumber;
    if (seen.has(key)) {
      throw new TemplateError('INVALID_TEMPLATE', `two views of finger ${view.fingerPosition} share view number ${view.viewNumber}`);
    }
    seen.add(key);
  }
}

function checkInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TemplateError('OUT_OF_RANGE', `${what} ${String(value)} outside ${min}..${max}`);
  }
}

function printable(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** Bounds-checked big-endian cursor; `need` is called before every group of reads. */
class Reader {
  at = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (this.at + n > this.bytes.length) {
      throw new TemplateError('TRUNCATED', `record ends at byte ${this.bytes.length} inside ${what} (needs ${this.at + n})`);
    }
  }
  skip(n: number): void {
    this.at += n;
  }
  remaining(): number {
    return this.bytes.length - this.at;
  }
  peek(n: number): Uint8Array {
    return this.bytes.subarray(this.at, this.at + n);
  }
  u8(): number {
    return this.view.getUint8(this.at++);
  }
  u16(): number {
    const value = this.view.getUint16(this.at);
    this.at += 2;
    return value;
  }
  u32(): number {
    const value = this.view.getUint32(this.at);
    this.at += 4;
    return value;
  }
}

// ---------------------------------------------------------------- template conversion

/**
 * Scale from a record's px/cm to the Template's 500 dpi grid. 197 px/cm is how records write
 * 500 dpi (196.85 rounded) and is taken as exactly 500 dpi, so a round trip does not drift.
 */
function toTemplateScale(ppcm: number): number {
  return Math.abs(ppcm - PPCM_500DPI_EXACT) < 0.5 ? 1 : PPCM_500DPI_EXACT / ppcm;
}

export function templateFromIso(record: IsoRecord, viewIndex = 0): Template {
  const view = record.views[viewIndex];
  if (!Number.isInteger(viewIndex) || view === undefined) {
    throw new TemplateError('OUT_OF_RANGE', `record has ${record.views.length} views, no view ${viewIndex}`);
  }
  const image = view.image ?? record;
  const sx = toTemplateScale(image.resolutionPpcm.x);
  const sy = toTemplateScale(image.resolutionPpcm.y);
  const minutiae = view.minutiae.map((m) => Object.freeze({
    x: m.x * sx,
    y: m.y * sy,
    // ISO and Template share the counter-clockwise convention; only normalise to [0, 2π).
    direction: normaliseAngle(m.direction),
    type: m.type,
    quality: m.quality,
  }));
  return Object.freeze({
    width: Math.max(1, Math.round(image.width * sx)),
    height: Math.max(1, Math.round(image.height * sy)),
    minutiae: Object.freeze(minutiae),
  });
}

export function isoFromTemplate(
  t: Template,
  opts: { fingerPosition: number; quality: number; viewNumber?: number },
): IsoRecord {
  const viewNumber = opts.viewNumber ?? 0;
  checkViewHeader(opts.fingerPosition, viewNumber, 0, opts.quality, 0);
  const width = clampInt(t.width, 1, 0xffff);
  const height = clampInt(t.height, 1, 0xffff);
  const maxX = Math.min(width - 1, MAX_COORDINATE);
  const maxY = Math.min(height - 1, MAX_COORDINATE);
  const inside = t.minutiae
    // Outside the image (or beyond 14 bits) cannot be written; inside, rounding may reach the
    // edge pixel + 1, so clamp rather than lose the minutia.
    .filter((m) => m.x >= 0 && m.y >= 0 && m.x < maxX + 1 && m.y < maxY + 1)
    .map((m) => ({
      x: Math.min(maxX, Math.round(m.x)),
      y: Math.min(maxY, Math.round(m.y)),
      direction: (angleByte(Number.isFinite(m.direction) ? m.direction : 0) * TWO_PI) / ANGLE_STEPS,
      type: m.type === 'bifurcation' ? 'bifurcation' as const : 'ending' as const,
      quality: clampInt(m.quality, 0, 100),
    }));
  // The record holds at most 255 minutiae: keep the most reliable ones (stable sort keeps order
  // among equals, so the result is deterministic).
  const kept = inside.length <= MAX_MINUTIAE
    ? inside
    : inside
      .map((m, i) => ({ m, i }))
      .sort((a, b) => b.m.quality - a.m.quality || a.i - b.i)
      .slice(0, MAX_MINUTIAE)
      .sort((a, b) => a.i - b.i)
      .map(({ m }) => m);
  return Object.freeze({
    width,
    height,
    resolutionPpcm: Object.freeze({ x: ISO_PPCM_500DPI, y: ISO_PPCM_500DPI }),
    captureEquipmentId: 0,
    views: Object.freeze([Object.freeze({
      fingerPosition: opts.fingerPosition,
      viewNumber,
      impressionType: 0, // live-scan plain
      quality: opts.quality,
      minutiae: Object.freeze(kept.map((m) => Object.freeze(m))),
    })]),
  });
}

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function normaliseAngle(a: number): number {
  const r = a % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}
