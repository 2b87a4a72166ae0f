import type { RawMinutia } from '../primitives/fields.ts';
import { CLUSTER_NEIGHBOURS, CLUSTER_RADIUS } from '../parameters.ts';

/** Minutiae crowded closer than a ridge period are noise (scars, creases, smudges): all of them go. */
export function removeClusters(minutiae: readonly RawMinutia[]): RawMinutia[] {
  const r2 = CLUSTER_RADIUS * CLUSTER_RADIUS;
  const crowd = new Uint16Array(minutiae.length);
  for (let a = 0; a < minutiae.length; a++) {
    for (let b = a + 1; b < minutiae.length; b++) {
      const dx = minutiae[a].x - minutiae[b].x;
      const dy = minutiae[a].y - minutiae[b].y;
      if (dx * dx + dy * dy <= r2) {
        crowd[a]++;
        crowd[b]++;
      }
    }
  }
  return minutiae.filter((_, k) => crowd[k] < CLUSTER_NEIGHBOURS);
}
