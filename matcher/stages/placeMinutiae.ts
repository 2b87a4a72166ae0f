import type { Minutia } from '../types.ts';
import { ISO_PLACEMENT_SHIFT } from '../parameters.ts';

/**
 * Moves each minutia from where the ridge skeleton shows it to where ISO/IEC 19794-2 places it
 * (template/iso19794.ts): a ridge ending at the fork of the valley skeleton in front of the ridge
 * tip, i.e. back from the skeleton's end against its direction; a bifurcation at the fork itself,
 * which thinning pulls back into the stem, i.e. forward along its direction. Both moves are
 * about a quarter of a ridge period. Records written by other extractors place minutiae this
 * way; without the move each of our minutiae sits ~2 px off theirs, which eats half of the 4 px
 * edge tolerance of the comparator's consistency check.
 */
export function placeMinutiae(minutiae: readonly Minutia[], width: number, height: number): Minutia[] {
  return minutiae.map((m) => {
    const shift = m.type === 'ending' ? -ISO_PLACEMENT_SHIFT : ISO_PLACEMENT_SHIFT;
    const x = Math.min(width - 1, Math.max(0, m.x + shift * Math.cos(m.direction)));
    const y = Math.min(height - 1, Math.max(0, m.y - shift * Math.sin(m.direction)));
    return Object.freeze({ ...m, x, y });
  });
}
