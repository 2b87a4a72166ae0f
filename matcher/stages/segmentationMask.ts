import type { BlockMask, BlockStatistics, OrientationField } from '../primitives/fields.ts';
import { SEGMENT_MIN_COHERENCE, SEGMENT_MIN_CONTRAST, SEGMENT_RELATIVE_CONTRAST } from '../parameters.ts';

/**
 * Foreground blocks: contrasted and (mostly) oriented. The raw decision is smoothed by majority
 * voting, reduced to the largest connected region and its holes are filled, because a finger is
 * one blob and isolated dirt must not produce minutiae.
 */
export function segmentationMask(stats: BlockStatistics, orientation: OrientationField): BlockMask {
  const { cols, rows, contrast } = stats;
  const n = cols * rows;
  const sorted = Float32Array.from(contrast).sort();
  const p90 = sorted[Math.min(n - 1, Math.floor(n * 0.9))] ?? 0;
  const threshold = Math.max(SEGMENT_MIN_CONTRAST, SEGMENT_RELATIVE_CONTRAST * p90);
  let cells: Uint8Array = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    const c = contrast[b];
    const oriented = orientation.coherence[b] >= SEGMENT_MIN_COHERENCE;
    cells[b] = c >= threshold && (oriented || c >= 2 * threshold) ? 1 : 0;
  }
  for (let pass = 0; pass < 2; pass++) cells = majority(cells, cols, rows);
  cells = largestComponent(cells, cols, rows);
  cells = fillHoles(cells, cols, rows);
  return { cols, rows, cells };
}

/** Erodes the mask by `radius` blocks; the image edge counts as background. */
export function erodeMask(mask: BlockMask, radius: number): BlockMask {
  const { cols, rows, cells } = mask;
  const out = new Uint8Array(cols * rows);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let keep = 1;
      for (let dy = -radius; dy <= radius && keep; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = bx + dx;
          const yy = by + dy;
          if (xx < 0 || yy < 0 || xx >= cols || yy >= rows || !cells[yy * cols + xx]) {
            keep = 0;
            break;
          }
        }
      }
      out[by * cols + bx] = keep;
    }
  }
  return { cols, rows, cells: out };
}

function majority(cells: Uint8Array, cols: number, rows: number): Uint8Array {
  const out = new Uint8Array(cells.length);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let on = 0;
      let total = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = by + dy;
        if (yy < 0 || yy >= rows) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = bx + dx;
          if (xx < 0 || xx >= cols) continue;
          total++;
          on += cells[yy * cols + xx];
        }
      }
      out[by * cols + bx] = on * 2 > total ? 1 : 0;
    }
  }
  return out;
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
