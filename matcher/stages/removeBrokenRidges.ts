import type { RawMinutia } from '../primitives/fields.ts';
import { facingEndings } from '../primitives/facingEndings.ts';
import { BROKEN_RIDGE_GAP } from '../parameters.ts';

/** Two endings that face each other across a short gap are one broken ridge: both are removed. */
export function removeBrokenRidges(minutiae: readonly RawMinutia[]): RawMinutia[] {
  const removed = new Uint8Array(minutiae.length);
  for (let a = 0; a < minutiae.length; a++) {
    const ma = minutiae[a];
    for (let b = a + 1; b < minutiae.length; b++) {
      const mb = minutiae[b];
      const dx = mb.x - ma.x;
      const dy = mb.y - ma.y;
      if (dx * dx + dy * dy > BROKEN_RIDGE_GAP * BROKEN_RIDGE_GAP) continue;
      if (!facingEndings(ma, mb)) continue;
      removed[a] = 1;
      removed[b] = 1;
    }
  }
  return minutiae.filter((_, k) => !removed[k]);
}
