import type { BlockMask } from './fields.ts';
import { BLOCK } from '../parameters.ts';

/**
 * Distance (px) from the centre of pixel (x, y) to the nearest background block of `mask` or
 * the image edge, capped at `cap` (only blocks within reach of the cap are visited): how far
 * inside the print a minutia lies.
 */
export function maskEdgeDistance(x: number, y: number, mask: BlockMask, width: number, height: number, cap: number): number {
  const px = x + 0.5;
  const py = y + 0.5;
  let d = Math.min(cap, px, py, width - px, height - py);
  const reach = Math.ceil(cap / BLOCK);
  const bx0 = (x / BLOCK) | 0;
  const by0 = (y / BLOCK) | 0;
  for (let by = by0 - reach; by <= by0 + reach; by++) {
    for (let bx = bx0 - reach; bx <= bx0 + reach; bx++) {
      if (bx >= 0 && by >= 0 && bx < mask.cols && by < mask.rows && mask.cells[by * mask.cols + bx]) continue;
      const cx = Math.max(bx * BLOCK, Math.min(px, bx * BLOCK + BLOCK));
      const cy = Math.max(by * BLOCK, Math.min(py, by * BLOCK + BLOCK));
      d = Math.min(d, Math.hypot(cx - px, cy - py));
    }
  }
  return d;
}
