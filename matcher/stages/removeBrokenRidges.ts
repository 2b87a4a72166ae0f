import type { RawMinutia } from '../primitives/fields.ts';
import { angleDistance, isoAngle } from '../primitives/angles.ts';
import { BROKEN_RIDGE_ANGLE, BROKEN_RIDGE_GAP } from '../parameters.ts';

/**
 * Two endings that face each other across a short gap are one ridge broken by a scar, a pore or a
 * dry patch: both are removed. "Facing" means opposite directions with the gap between the tips:
 * an ending points up its own ridge (ISO), so each points away from the other.
 */
export function removeBrokenRidges(minutiae: readonly RawMinutia[]): RawMinutia[] {
  const removed = new Uint8Array(minutiae.length);
  for (let a = 0; a < minutiae.length; a++) {
    const ma = minutiae[a];
    if (ma.type !== 'ending') continue;
    for (let b = a + 1; b < minutiae.length; b++) {
      const mb = minutiae[b];
      if (mb.type !== 'ending') continue;
      const dx = mb.x - ma.x;
      const dy = mb.y - ma.y;
      if (dx * dx + dy * dy > BROKEN_RIDGE_GAP * BROKEN_RIDGE_GAP) continue;
      if (angleDistance(ma.direction, mb.direction) < Math.PI - BROKEN_RIDGE_ANGLE) continue;
      // From b towards a: the way a's ridge runs when b's tip continues it.
      const away = isoAngle(-dx, -dy);
      if (angleDistance(ma.direction, away) > BROKEN_RIDGE_ANGLE * 1.5) continue;
      removed[a] = 1;
      removed[b] = 1;
    }
  }
  return minutiae.filter((_, k) => !removed[k]);
}
