import type { BlockMask, RawMinutia } from '../primitives/fields.ts';
import { maskEdgeDistance } from '../primitives/maskDistance.ts';
import { BORDER_CUT_DISTANCE } from '../parameters.ts';

/**
 * Removes minutiae closer than BORDER_CUT_DISTANCE to the mask or image edge: the enhanced ridges
 * stop at the mask, so ridges cut there end falsely. Minutiae a little further in are kept with
 * a quality that grows with the distance (topMinutiae.ts).
 */
export function removeBorderMinutiae(minutiae: readonly RawMinutia[], mask: BlockMask, width: number, height: number): RawMinutia[] {
  return minutiae.filter((m) => maskEdgeDistance(m.x, m.y, mask, width, height, BORDER_CUT_DISTANCE) >= BORDER_CUT_DISTANCE);
}
