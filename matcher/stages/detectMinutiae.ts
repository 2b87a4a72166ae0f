import type { BinaryImage, RawMinutia } from '../primitives/fields.ts';
import { isoAngle } from '../primitives/angles.ts';
import { POPCOUNT, TRANSITIONS, neighbourBits } from '../primitives/neighbourhood.ts';
import { branchStarts, walkSkeleton } from '../primitives/skeletonWalk.ts';
import { DIRECTION_TRACE } from '../parameters.ts';

/**
 * Ridge endings (crossing number 1) and bifurcations (crossing number 3) on the skeleton.
 * Direction, ISO/IEC 19794-2 style: an ending points away from its ridge, out of the tip; a
 * bifurcation points along its stem, away from the two branches (the tip of the valley ending
 * between them). A junction cluster of adjacent pixels yields one bifurcation.
 */
export function detectMinutiae(skeleton: BinaryImage): RawMinutia[] {
  const { width, height, pixels } = skeleton;
  const out: RawMinutia[] = [];
  const taken = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!pixels[i]) continue;
      const bits = neighbourBits(pixels, width, i);
      const cn = TRANSITIONS[bits];
      if (cn === 1 && POPCOUNT[bits] <= 2) {
        const [first] = branchStarts(pixels, width, i);
        const w = walkSkeleton(pixels, width, height, i, first, DIRECTION_TRACE);
        if (w.steps < 3) continue;
        out.push({ x, y, type: 'ending', direction: isoAngle(x - w.x, y - w.y) });
      } else if (cn === 3) {
        if (nearTaken(taken, width, height, x, y)) continue;
        taken[i] = 1;
        const starts = branchStarts(pixels, width, i);
        const ends = starts.map((s) => walkSkeleton(pixels, width, height, i, s, DIRECTION_TRACE, 2));
        const direction = bifurcationDirection(x, y, ends);
        if (direction !== null) out.push({ x, y, type: 'bifurcation', direction });
      }
    }
  }
  return out;
}

function nearTaken(taken: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  for (let dy = -2; dy <= 2; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -2; dx <= 2; dx++) {
      const xx = x + dx;
      if (xx >= 0 && xx < width && taken[yy * width + xx]) return true;
    }
  }
  return false;
}

/** Stem = the branch farthest in angle from the other two; direction blends the stem and the anti-bisector of the fork. */
function bifurcationDirection(x: number, y: number, ends: { x: number; y: number; steps: number }[]): number | null {
  if (ends.length !== 3) return null;
  const ux: number[] = [];
  const uy: number[] = [];
  for (const e of ends) {
    const dx = e.x - x;
    const dy = e.y - y;
    const len = Math.hypot(dx, dy);
    if (len < 1.5) return null;
    ux.push(dx / len);
    uy.push(dy / len);
  }
  let stem = 0;
  let bestDot = -Infinity;
  for (let k = 0; k < 3; k++) {
    const a = (k + 1) % 3;
    const b = (k + 2) % 3;
    const dot = ux[a] * ux[b] + uy[a] * uy[b];
    if (dot > bestDot) {
      bestDot = dot;
      stem = k;
    }
  }
  const a = (stem + 1) % 3;
  const b = (stem + 2) % 3;
  let bx = ux[a] + ux[b];
  let by = uy[a] + uy[b];
  const bl = Math.hypot(bx, by);
  if (bl > 1e-6) {
    bx /= bl;
    by /= bl;
  }
  return isoAngle(ux[stem] - bx, uy[stem] - by);
}
