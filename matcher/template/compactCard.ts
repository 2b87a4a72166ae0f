/**
 * ISO/IEC 19794-2:2005 finger minutiae card format, compact size (the form match-on-card
 * applets and the MINEX II tests use). Source: ISO/IEC 19794-2:2005 clause 8 as summarised by
 * templates.machinezoo.com/iso-19794-2-2005-card (CC BY 4.0, written from the standard).
 *
 * There is no header: the card's Biometric Information Template (ISO/IEC 7816-11) says which
 * format the applet wants and how many minutiae it accepts, and the minutiae are sent as a plain
 * sequence of 3-byte entries:
 *   byte 0  x in units of 0.1 mm from the image's left edge (0..25.5 mm)
 *   byte 1  y in units of 0.1 mm from the image's top edge
 *   byte 2  type (high 2 bits: 01 ending, 10 bifurcation, 00 other, 11 invalid) +
 *           angle (low 6 bits, units of 360/64 = 5.625°; the record format's convention,
 *           see iso19794.ts: counter-clockwise, ending up the ridge, bifurcation down the valley)
 * Coordinates are metric so a card does not depend on the sensor resolution; at 500 dpi one
 * unit is 1.97 px, so a round trip moves a minutia by up to 1 px and turns it by up to 2.8°.
 *
 * When a card takes fewer minutiae than the template has, ISO removes the lowest-quality ones
 * first, ties broken by the largest distance from the minutiae's centre of mass; that is what
 * `maxMinutiae` does. Minutiae beyond 25.5 mm cannot be expressed and are dropped. No ordering is
 * imposed: a card that needs sorted minutiae says so in its BIT and the caller sorts.
 */
import { TemplateError } from '../types.ts';
import type { Minutia, Template } from '../types.ts';

const BYTES_PER_MINUTIA = 3;
/** 500-dpi pixels per 0.1 mm. */
const PX_PER_UNIT = 500 / 254;
const MAX_UNIT = 255;
const ANGLE_STEPS = 64;
const TWO_PI = 2 * Math.PI;
/** Side of the area a compact card can address, in 500-dpi pixels. */
export const COMPACT_CARD_EXTENT_PX = Math.ceil((MAX_UNIT + 1) * PX_PER_UNIT);

export function encodeCompactCard(t: Template, opts: { maxMinutiae?: number } = {}): Uint8Array {
  const max = opts.maxMinutiae ?? Number.POSITIVE_INFINITY;
  if (!(max >= 0) || (Number.isFinite(max) && !Number.isInteger(max))) {
    throw new TemplateError('OUT_OF_RANGE', `maxMinutiae must be a non-negative integer, got ${String(max)}`);
  }
  const representable = t.minutiae.filter((m) => {
    const x = Math.round(m.x / PX_PER_UNIT);
    const y = Math.round(m.y / PX_PER_UNIT);
    return Number.isFinite(m.direction) && x >= 0 && y >= 0 && x <= MAX_UNIT && y <= MAX_UNIT;
  });
  const kept = representable.length > max ? removeForCard(representable, max) : representable;
  const bytes = new Uint8Array(kept.length * BYTES_PER_MINUTIA);
  kept.forEach((m, i) => {
    const turns = m.direction / TWO_PI;
    const angle = Math.round((turns - Math.floor(turns)) * ANGLE_STEPS) % ANGLE_STEPS;
    bytes[i * 3] = Math.round(m.x / PX_PER_UNIT);
    bytes[i * 3 + 1] = Math.round(m.y / PX_PER_UNIT);
    bytes[i * 3 + 2] = ((m.type === 'bifurcation' ? 0b10 : 0b01) << 6) | angle;
  });
  return bytes;
}

/**
 * Compact card bytes -> Template at 500 dpi. The format carries no image size or quality:
 * `width`/`height` default to the addressable 25.6 mm square and every minutia gets `quality`.
 */
export function decodeCompactCard(
  bytes: Uint8Array,
  opts: { width?: number; height?: number; quality?: number } = {},
): Template {
  if (!(bytes instanceof Uint8Array)) {
    throw new TemplateError('INVALID_TEMPLATE', 'compact card minutiae must be a Uint8Array');
  }
  if (bytes.length % BYTES_PER_MINUTIA !== 0) {
    throw new TemplateError('TRUNCATED', `compact card data is ${bytes.length} bytes, not a multiple of 3`);
  }
  const quality = opts.quality ?? 0;
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new TemplateError('OUT_OF_RANGE', `quality ${quality} outside 0..100`);
  }
  const width = opts.width ?? COMPACT_CARD_EXTENT_PX;
  const height = opts.height ?? COMPACT_CARD_EXTENT_PX;
  const minutiae: Minutia[] = [];
  for (let i = 0; i < bytes.length; i += BYTES_PER_MINUTIA) {
    const typeBits = bytes[i + 2] >> 6;
    if (typeBits === 0b11) {
      throw new TemplateError('OUT_OF_RANGE', `minutia ${i / 3}: type bits 11 are reserved`);
    }
    const x = bytes[i] * PX_PER_UNIT;
    const y = bytes[i + 1] * PX_PER_UNIT;
    if (x >= width || y >= height) {
      throw new TemplateError('OUT_OF_RANGE', `minutia ${i / 3}: (${x.toFixed(1)}, ${y.toFixed(1)}) px outside ${width}x${height}`);
    }
    minutiae.push(Object.freeze({
      x,
      y,
      direction: ((bytes[i + 2] & 0x3f) * TWO_PI) / ANGLE_STEPS,
      type: typeBits === 0b10 ? 'bifurcation' : 'ending',
      quality,
    }));
  }
  return Object.freeze({ width, height, minutiae: Object.freeze(minutiae) });
}

/** ISO card removal order: lowest quality first, then farthest from the centre of mass. */
function removeForCard(minutiae: readonly Minutia[], keep: number): Minutia[] {
  const cx = minutiae.reduce((s, m) => s + m.x, 0) / minutiae.length;
  const cy = minutiae.reduce((s, m) => s + m.y, 0) / minutiae.length;
  const ranked = minutiae
    .map((m, i) => ({ m, i, d: Math.hypot(m.x - cx, m.y - cy) }))
    .sort((a, b) => b.m.quality - a.m.quality || a.d - b.d || a.i - b.i);
  const kept = new Set(ranked.slice(0, keep).map((r) => r.i));
  return minutiae.filter((_, i) => kept.has(i));
}
