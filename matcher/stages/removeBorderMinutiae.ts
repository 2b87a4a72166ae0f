import type { BlockMask, RawMinutia } from '../primitives/fields.ts';
import { BLOCK } from '../parameters.ts';

/** Keeps minutiae inside the eroded mask: ridges cut by the mask or image edge end falsely there. */
export function removeBorderMinutiae(minutiae: readonly RawMinutia[], innerMask: BlockMask): RawMinutia[] {
  return minutiae.filter((m) => {
    const bx = (m.x / BLOCK) | 0;
    const by = (m.y / BLOCK) | 0;
    return bx < innerMask.cols && by < innerMask.rows && innerMask.cells[by * innerMask.cols + bx] === 1;
  });
}
