import type { Minutia } from '../types.ts';
import type { BlockMask, FloatImage, OrientationField, Raster, RawMinutia } from '../primitives/fields.ts';
import {
  ARTEFACT_QUALITY_FACTOR,
  BLOCK,
  BORDER_CUT_DISTANCE,
  BORDER_TRUSTED_DISTANCE,
  MAX_MINUTIAE,
  RIDGE_LIKENESS_FULL,
  RIDGE_LIKENESS_RADIUS,
} from '../parameters.ts';
import { maskEdgeDistance } from '../primitives/maskDistance.ts';

/**
 * Assigns each minutia an ISO quality (1..100) on the scale other extractors use (100 x the square
 * root of its clarity; comparator/searchTemplate.ts reliabilityOf reads it back). Clarity = the
 * square root of the local orientation coherence (over 0.8), times the local ridge-likeness
 * (`ridgeLikeness`, full at RIDGE_LIKENESS_FULL), times the distance from the mask edge (ramp from
 * BORDER_CUT_DISTANCE to BORDER_TRUSTED_DISTANCE), times ARTEFACT_QUALITY_FACTOR for the ends of a
 * short skeleton ridge (`artefacts`). No absolute gray-level contrast: a faint but clean ridge is as
 * likely to be real as a dark one (matcher/EXPERIMENTS.md, "Session 6: faint ridges").
 * Keeps the best MAX_MINUTIAE.
 */
export function topMinutiae(
  minutiae: readonly RawMinutia[],
  artefacts: readonly RawMinutia[],
  orientation: OrientationField,
  mask: BlockMask,
  raster: Raster,
  enhanced: FloatImage,
): Minutia[] {
  const { width, height } = raster;
  const { cols, rows } = orientation;
  const ramp = BORDER_TRUSTED_DISTANCE - BORDER_CUT_DISTANCE;
  const score = (m: RawMinutia, factor: number) => {
    const bx = Math.min(cols - 1, (m.x / BLOCK) | 0);
    const by = Math.min(rows - 1, (m.y / BLOCK) | 0);
    let coh = 0;
    let count = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = bx + dx;
        const yy = by + dy;
        if (xx < 0 || yy < 0 || xx >= cols || yy >= rows) continue;
        coh += orientation.coherence[yy * cols + xx];
        count++;
      }
    }
    coh /= count;
    const depth = (maskEdgeDistance(m.x, m.y, mask, width, height, BORDER_TRUSTED_DISTANCE) - BORDER_CUT_DISTANCE) / ramp;
    const likeness = Math.min(1, ridgeLikeness(raster, enhanced, m.x, m.y) / RIDGE_LIKENESS_FULL);
    const clarity = Math.sqrt(Math.min(1, coh / 0.8)) * likeness * Math.max(0, Math.min(1, depth)) * factor;
    // Written as 100 x sqrt(clarity) so our ISO quality means what FingerJet FX OSE's means (1.6.0:
    // the share of our minutiae FingerJet also records per quality bin follows the share of
    // FingerJet's that we record).
    const quality = Math.max(1, Math.min(100, Math.round(100 * Math.sqrt(clarity))));
    return { x: m.x, y: m.y, direction: m.direction, type: m.type, quality };
  };
  const scored = [...minutiae.map((m) => score(m, 1)), ...artefacts.map((m) => score(m, ARTEFACT_QUALITY_FACTOR))];
  scored.sort((a, b) => b.quality - a.quality || a.y - b.y || a.x - b.x);
  return scored.slice(0, MAX_MINUTIAE).map((m) => Object.freeze(m));
}

/**
 * Share of the local gray-level variation that the contextual filter keeps as ridges: RMS of the
 * enhanced image over the RMS deviation of the raster, in a square of side 2 RIDGE_LIKENESS_RADIUS
 * + 1 around (cx, cy). Both scale with the print's contrast, so the ratio does not: a faint,
 * clean ridge scores like a dark one, while dots, pores, blots and creases (variation at the
 * wrong period or orientation, which the filter discards) score low.
 */
export function ridgeLikeness(raster: Raster, enhanced: FloatImage, cx: number, cy: number): number {
  const { width, height, pixels } = raster;
  const r = RIDGE_LIKENESS_RADIUS;
  let e2 = 0;
  let s1 = 0;
  let s2 = 0;
  let n = 0;
  for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
      const i = y * width + x;
      const e = enhanced.pixels[i];
      const v = pixels[i];
      e2 += e * e;
      s1 += v;
      s2 += v * v;
      n++;
    }
  }
  const mean = s1 / n;
  // At least one gray level of deviation: a flat patch has no ridges to keep.
  const deviation = Math.sqrt(Math.max(1, s2 / n - mean * mean));
  return Math.sqrt(e2 / n) / deviation;
}
