import type { BlockMask, BlockStatistics, OrientationField } from '../primitives/fields.ts';
import {
  SEGMENT_GROW_COHERENCE,
  SEGMENT_GROW_RELATIVE_CONTRAST,
  SEGMENT_MIN_COHERENCE,
  SEGMENT_MIN_CONTRAST,
  SEGMENT_RELATIVE_CONTRAST,
} from '../parameters.ts';

/**
 * Foreground blocks: contrasted and (mostly) oriented. The raw decision is grown by hysteresis
 * into fainter but clearly oriented neighbours (a dry or lightly pressed part of the same
 * finger), smoothed by majority voting, reduced to the largest connected region and its holes
 * are filled, because a finger is one blob and isolated dirt must not produce minutiae.
 */
export function segmentationMask(stats: BlockStatistics, orientation: OrientationField): BlockMask {
  const { cols, rows, contrast } = stats;
  const n = cols * rows;
  const p90 = n > 0 ? kthSmallest(Float32Array.from(contrast), Math.min(n - 1, Math.floor(n * 0.9))) : 0;
  const threshold = Math.max(SEGMENT_MIN_CONTRAST, SEGMENT_RELATIVE_CONTRAST * p90);
  let cells: Uint8Array = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    const c = contrast[b];
    const oriented = orientation.coherence[b] >= SEGMENT_MIN_COHERENCE;
    cells[b] = c >= threshold && (oriented || c >= 2 * threshold) ? 1 : 0;
  }
  growByHysteresis(cells, cols, rows, contrast, orientation.coherence, Math.max(SEGMENT_MIN_CONTRAST, SEGMENT_GROW_RELATIVE_CONTRAST * p90));
  for (let pass = 0; pass < 2; pass++) cells = majority(cells, cols, rows);
  cells = largestComponent(cells, cols, rows);
  cells = fillHoles(cells, cols, rows);
  return { cols, rows, cells };
}

/**
 * Adds, in place, every block 8-connected to the foreground through blocks with at least
 * `lowContrast` and SEGMENT_GROW_COHERENCE: faint ridges count when they continue the print
 * and run in one direction, while faint noise elsewhere (incoherent) stays background.
 */
function growByHysteresis(
  cells: Uint8Array,
  cols: number,
  rows: number,
  contrast: Float32Array,
  coherence: Float32Array,
  lowContrast: number,
): void {
  const stack = new Int32Array(cells.length);
  let top = 0;
  for (let b = 0; b < cells.length; b++) if (cells[b]) stack[top++] = b;
  while (top > 0) {
    const b = stack[--top];
    const bx = b % cols;
    const by = (b / cols) | 0;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = by + dy;
      if (yy < 0 || yy >= rows) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = bx + dx;
        if (xx < 0 || xx >= cols) continue;
        const nb = yy * cols + xx;
        if (cells[nb] || contrast[nb] < lowContrast || coherence[nb] < SEGMENT_GROW_COHERENCE) continue;
        cells[nb] = 1;
        stack[top++] = nb;
      }
    }
  }
}

function majority(cells: Uint8Array, cols: number, rows: number): Uint8Array {
  const out = new Uint8Array(cells.length);
  // 3-block column sums slide along each row (the window is clipped at the edges: the vote is
  // over its in-bounds blocks, width x height).
  for (let by = 0; by < rows; by++) {
    const up = by > 0 ? by - 1 : by;
    const down = by < rows - 1 ? by + 1 : by;
    const height = down - up + 1;
    const top = up * cols;
    const bottom = down * cols;
    const middle = by * cols;
    let left = 0;
    let centre = columnSum(cells, top, middle, bottom, height, 0);
    for (let bx = 0; bx < cols; bx++) {
      const right = bx < cols - 1 ? columnSum(cells, top, middle, bottom, height, bx + 1) : 0;
      const width = (bx > 0 ? 1 : 0) + 1 + (bx < cols - 1 ? 1 : 0);
      out[by * cols + bx] = (left + centre + right) * 2 > width * height ? 1 : 0;
      left = centre;
      centre = right;
    }
  }
  return out;
}

/** Sum of a column of the majority window over its `height` distinct rows (top..bottom). */
function columnSum(cells: Uint8Array, top: number, middle: number, bottom: number, height: number, bx: number): number {
  if (height === 3) return cells[top + bx] + cells[middle + bx] + cells[bottom + bx];
  if (height === 2) return cells[top + bx] + cells[bottom + bx];
  return cells[middle + bx];
}

/** The k-th smallest value (0-based) of `values`, which it reorders (quickselect). */
function kthSmallest(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

/** Labels 4-connected regions of `value` with a flood fill; returns labels and region sizes. */
function label(cells: Uint8Array, cols: number, rows: number, value: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(cells.length).fill(-1);
  const sizes: number[] = [];
  const stack = new Int32Array(cells.length);
  for (let start = 0; start < cells.length; start++) {
    if (cells[start] !== value || labels[start] !== -1) continue;
    const id = sizes.length;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const b = stack[--top];
      size++;
      const bx = b % cols;
      const by = (b / cols) | 0;
      for (let k = 0; k < 4; k++) {
        const nb =
          k === 0 ? (bx > 0 ? b - 1 : -1) : k === 1 ? (bx < cols - 1 ? b + 1 : -1) : k === 2 ? (by > 0 ? b - cols : -1) : by < rows - 1 ? b + cols : -1;
        if (nb >= 0 && cells[nb] === value && labels[nb] === -1) {
          labels[nb] = id;
          stack[top++] = nb;
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

function largestComponent(cells: Uint8Array, cols: number, rows: number): Uint8Array {
  const { labels, sizes } = label(cells, cols, rows, 1);
  if (sizes.length === 0) return cells.slice();
  let best = 0;
  for (let i = 1; i < sizes.length; i++) if (sizes[i] > sizes[best]) best = i;
  const out = new Uint8Array(cells.length);
  for (let b = 0; b < cells.length; b++) out[b] = labels[b] === best ? 1 : 0;
  return out;
}

function fillHoles(cells: Uint8Array, cols: number, rows: number): Uint8Array {
  const { labels, sizes } = label(cells, cols, rows, 0);
  const touchesEdge = new Uint8Array(sizes.length);
  for (let bx = 0; bx < cols; bx++) {
    if (labels[bx] >= 0) touchesEdge[labels[bx]] = 1;
    const last = (rows - 1) * cols + bx;
    if (labels[last] >= 0) touchesEdge[labels[last]] = 1;
  }
  for (let by = 0; by < rows; by++) {
    const first = by * cols;
    const last = first + cols - 1;
    if (labels[first] >= 0) touchesEdge[labels[first]] = 1;
    if (labels[last] >= 0) touchesEdge[labels[last]] = 1;
  }
  const out = cells.slice();
  for (let b = 0; b < cells.length; b++) if (labels[b] >= 0 && !touchesEdge[labels[b]]) out[b] = 1;
  return out;
}
