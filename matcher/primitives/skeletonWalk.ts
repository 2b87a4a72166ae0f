import { NEIGHBOUR_DX, NEIGHBOUR_DY, TRANSITIONS, neighbourBits } from './neighbourhood.ts';

export type WalkStop = 'length' | 'ending' | 'junction';

export interface WalkResult {
  readonly x: number;
  readonly y: number;
  readonly steps: number;
  readonly stop: WalkStop;
}

/**
 * Follows a one-pixel skeleton from `start` through its neighbour `first` for at most `maxSteps`
 * pixels. It stops at a ridge end or at a junction (crossing number >= 3); junctions closer than
 * `ignoreJunctions` steps are walked through because a bifurcation is often a 2-3 pixel cluster.
 */
export function walkSkeleton(
  pixels: Uint8Array,
  width: number,
  height: number,
  start: number,
  first: number,
  maxSteps: number,
  ignoreJunctions = 0,
): WalkResult {
  let prev2 = start;
  let prev = start;
  let cur = first;
  let steps = 1;
  for (;;) {
    const cx = cur % width;
    const cy = (cur / width) | 0;
    if (cx <= 0 || cy <= 0 || cx >= width - 1 || cy >= height - 1) return { x: cx, y: cy, steps, stop: 'ending' };
    const bits = neighbourBits(pixels, width, cur);
    if (steps > ignoreJunctions && TRANSITIONS[bits] >= 3) return { x: cx, y: cy, steps, stop: 'junction' };
    if (steps >= maxSteps) return { x: cx, y: cy, steps, stop: 'length' };
    let next = -1;
    let fallback = -1;
    const px = prev % width;
    const py = (prev / width) | 0;
    for (let k = 0; k < 8; k++) {
      if (!((bits >> k) & 1)) continue;
      const nx = cx + NEIGHBOUR_DX[k];
      const ny = cy + NEIGHBOUR_DY[k];
      const n = ny * width + nx;
      if (n === prev || n === prev2 || n === start) continue;
      // A neighbour that also touches the previous pixel is a corner shortcut, not the way on.
      if (Math.abs(nx - px) <= 1 && Math.abs(ny - py) <= 1) {
        if (fallback < 0) fallback = n;
        continue;
      }
      next = n;
      break;
    }
    if (next < 0) next = fallback;
    if (next < 0) return { x: cx, y: cy, steps, stop: 'ending' };
    prev2 = prev;
    prev = cur;
    cur = next;
    steps++;
  }
}

/** Skeleton neighbours of `i` that start distinct branches (one per 0->1 transition). */
export function branchStarts(pixels: Uint8Array, width: number, i: number): number[] {
  const bits = neighbourBits(pixels, width, i);
  const out: number[] = [];
  for (let k = 0; k < 8; k++) {
    const here = (bits >> k) & 1;
    const before = (bits >> ((k + 7) & 7)) & 1;
    if (here && !before) {
      // Prefer the 4-neighbour inside a run of set neighbours: it is the branch's own pixel.
      let pick = k;
      const nextK = (k + 1) & 7;
      if (k % 2 === 1 && (bits >> nextK) & 1) pick = nextK;
      out.push(i + NEIGHBOUR_DY[pick] * width + NEIGHBOUR_DX[pick]);
    }
  }
  return out;
}
