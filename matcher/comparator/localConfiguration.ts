import type { Minutia } from '../types.ts';
import { facingEndings } from '../primitives/facingEndings.ts';
import {
  CROWDED_DISTANCE,
  CROWDED_RELIABILITY,
  FACING_ENDING_GAP,
  FACING_ENDING_RELIABILITY,
  UNCROWDED_DISTANCE,
} from '../parameters.ts';

/**
 * Reliability factor of each minutia from its place among the others of its own template, the
 * same rule for every template whoever wrote it. Two minutiae closer than a ridge period are
 * mostly one feature reported twice or noise (a pore, a small ridge break, a smudge), and
 * one-to-one pairing can use only one of them: the factor is CROWDED_RELIABILITY when the nearest
 * other minutia is within CROWDED_DISTANCE, rising linearly to 1 at UNCROWDED_DISTANCE. An ending
 * facing another ending across a gap up to FACING_ENDING_GAP (a broken ridge) is multiplied by
 * FACING_ENDING_RELIABILITY on top. Measured on both extractors (parameters.ts).
 */
export function localConfigurationFactors(minutiae: readonly Minutia[]): Float32Array {
  const n = minutiae.length;
  const factor = new Float32Array(n);
  const gap2 = FACING_ENDING_GAP * FACING_ENDING_GAP;
  for (let i = 0; i < n; i++) {
    const a = minutiae[i];
    let nearest2 = Infinity;
    let broken = false;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const b = minutiae[j];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d2 = dx * dx + dy * dy;
      if (d2 < nearest2) nearest2 = d2;
      if (!broken && d2 <= gap2 && facingEndings(a, b)) broken = true;
    }
    const t = (Math.sqrt(nearest2) - CROWDED_DISTANCE) / (UNCROWDED_DISTANCE - CROWDED_DISTANCE);
    const crowding = CROWDED_RELIABILITY + (1 - CROWDED_RELIABILITY) * Math.min(1, Math.max(0, t));
    factor[i] = crowding * (broken ? FACING_ENDING_RELIABILITY : 1);
  }
  return factor;
}
