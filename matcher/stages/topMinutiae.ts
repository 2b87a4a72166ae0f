import type { Minutia } from '../types.ts';
import type { BlockMask, BlockStatistics, OrientationField, RawMinutia } from '../primitives/fields.ts';
import { BLOCK, MAX_MINUTIAE } from '../parameters.ts';

/**
 * Assigns each minutia an ISO quality (1..100) from the clarity of its neighbourhood (orientation
 * coherence and contrast, and distance into the print) and keeps the best MAX_MINUTIAE.
 */
export function topMinutiae(
  minutiae: readonly RawMinutia[],
  orientation: OrientationField,
  stats: BlockStatistics,
  innerMask: BlockMask,
): Minutia[] {
  const { cols, rows } = orientation;
  const scored = minutiae.map((m) => {
    const bx = Math.min(cols - 1, (m.x / BLOCK) | 0);
    const by = Math.min(rows - 1, (m.y / BLOCK) | 0);
    let coh = 0;
    let con = 0;
    let inner = 0;
    let count = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = bx + dx;
        const yy = by + dy;
        if (xx < 0 || yy < 0 || xx >= cols || yy >= rows) continue;
        const b = yy * cols + xx;
        coh += orientation.coherence[b];
        con += stats.contrast[b];
        inner += innerMask.cells[b];
        count++;
      }
    }
    coh /= count;
    con /= count;
    const clarity = Math.min(1, coh / 0.8) * Math.min(1, con / 30) * (0.6 + (0.4 * inner) / count);
    const quality = Math.max(1, Math.min(100, Math.round(100 * clarity)));
    return { x: m.x, y: m.y, direction: m.direction, type: m.type, quality };
  });
  scored.sort((a, b) => b.quality - a.quality || a.y - b.y || a.x - b.x);
  return scored.slice(0, MAX_MINUTIAE).map((m) => Object.freeze(m));
}
