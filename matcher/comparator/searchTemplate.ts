import type { Template } from '../types.ts';
import { TWO_PI, wrapAngle } from '../primitives/angles.ts';
import { localConfigurationFactors } from './localConfiguration.ts';
import {
  EDGE_ANGLE_STEP,
  EDGE_LENGTH_STEP,
  EDGE_MAX_LENGTH,
  EDGE_MIN_LENGTH,
  MIN_MINUTIA_RELIABILITY,
  PAIR_DISTANCE_MAX,
} from '../parameters.ts';

export const LENGTH_BINS = Math.ceil(EDGE_MAX_LENGTH / EDGE_LENGTH_STEP) + 1;
export const ANGLE_BINS = Math.ceil(TWO_PI / EDGE_ANGLE_STEP);
const BINS = LENGTH_BINS * ANGLE_BINS * ANGLE_BINS;

/**
 * Derived, rotation- and translation-invariant view of a template (SourceAFIS `SearchTemplate`):
 * positions in a y-up frame so that ISO directions and vector angles share one convention, every
 * minutia pair ("edge") described by its length and the angles it makes with both minutiae, edges
 * bucketed by shape for lookup, and a reach grid for neighbour search. Rebuilt from the
 * template, never serialized; cached per template object because templates are immutable.
 */
export interface SearchTemplate {
  readonly count: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly direction: Float32Array;
  /** 1 = bifurcation, 0 = ending. */
  readonly bifurcation: Uint8Array;
  /**
   * Reliability weight: the minutia's ISO quality (reliabilityOf) times its local-configuration
   * factor (localConfiguration.ts: crowding, facing endings).
   */
  readonly weight: Float32Array;
  /** Sum of `weight`: the template's minutia count in reliability units. */
  readonly weightSum: number;
  /** Edges (ordered pairs), parallel arrays. */
  readonly edgeFrom: Uint8Array;
  readonly edgeTo: Uint8Array;
  readonly edgeLength: Float32Array;
  /** Angle of the edge vector relative to the direction of `from` and of `to`. */
  readonly edgeAngleFrom: Float32Array;
  readonly edgeAngleTo: Float32Array;
  /** Angle of the edge vector itself. */
  readonly edgeAngle: Float32Array;
  /** Shape bucket of each edge (bucketOf), for lookups in another template's buckets. */
  readonly edgeBucket: Uint16Array;
  /**
   * Edge ids by shape bucket, each bucket's start (BINS + 1 entries). Every edge is filed under
   * its own bucket and the neighbours nearest to it in each dimension (8 buckets), so a lookup
   * with another edge's shape reads one bucket.
   */
  readonly bucketEdges: Uint16Array;
  readonly bucketStart: Uint32Array;
  /** Grid for neighbour lookup: minutia ids sorted by cell. */
  readonly gridCols: number;
  readonly gridRows: number;
  readonly gridMinX: number;
  readonly gridMinY: number;
  readonly gridCells: Uint8Array;
  readonly gridStart: Uint32Array;
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

const MAX_COORDINATE = 0x3fff;

const cache = new WeakMap<Template, SearchTemplate>();

export function searchTemplate(template: Template): SearchTemplate {
  let s = cache.get(template);
  if (!s) {
    s = buildSearchTemplate(template);
    cache.set(template, s);
  }
  return s;
}

export function bucketOf(length: number, angleFrom: number, angleTo: number): number {
  const l = Math.min(LENGTH_BINS - 1, Math.floor(length / EDGE_LENGTH_STEP));
  const a = Math.floor(angleFrom / EDGE_ANGLE_STEP) % ANGLE_BINS;
  const b = Math.floor(angleTo / EDGE_ANGLE_STEP) % ANGLE_BINS;
  return (l * ANGLE_BINS + a) * ANGLE_BINS + b;
}

/** The 8 buckets an edge is filed under: its own and the nearer neighbour per dimension (-1 = none). */
function spreadBuckets(length: number, angleFrom: number, angleTo: number, out: Int32Array, at: number): void {
  const lf = length / EDGE_LENGTH_STEP;
  const l0 = Math.min(LENGTH_BINS - 1, Math.floor(lf));
  const l1 = lf - l0 < 0.5 ? l0 - 1 : l0 + 1;
  const af = angleFrom / EDGE_ANGLE_STEP;
  const a0 = Math.floor(af) % ANGLE_BINS;
  const a1 = (af - Math.floor(af) < 0.5 ? a0 - 1 + ANGLE_BINS : a0 + 1) % ANGLE_BINS;
  const bf = angleTo / EDGE_ANGLE_STEP;
  const b0 = Math.floor(bf) % ANGLE_BINS;
  const b1 = (bf - Math.floor(bf) < 0.5 ? b0 - 1 + ANGLE_BINS : b0 + 1) % ANGLE_BINS;
  let k = at;
  for (const l of [l0, l1]) {
    for (const a of [a0, a1]) {
      for (const b of [b0, b1]) out[k++] = l >= 0 && l < LENGTH_BINS ? (l * ANGLE_BINS + a) * ANGLE_BINS + b : -1;
    }
  }
}

/**
 * How far a minutia counts, from its ISO/IEC 19794-2 quality read as the likelihood that it is
 * real: (q / 100)^2 (at least MIN_MINUTIA_RELIABILITY). On the same images, the share of
 * FingerJet FX OSE's minutiae that have one of ours within 10 px and 30 deg rises steeply with
 * its quality: 23-29% at 40-49, 96-99% at 90-99 (FVC2002 db1, db3, neurotech-uareu); (q / 100)^2
 * gives 0.16-0.24 and 0.81-0.98, q / 100 overrated the middle of the scale. Our extractor writes
 * its quality on the same scale (stages/topMinutiae.ts), so one curve reads both. Quality 0
 * ("not reported") and a non-finite quality count 0.5. A template whose minutiae share one
 * quality scores the same whatever it is (consolidate.ts normalises by reliability sums).
 */
export function reliabilityOf(quality: number): number {
  if (!Number.isFinite(quality) || quality <= 0) return 0.5;
  const q = Math.min(100, quality) / 100;
  return Math.max(MIN_MINUTIA_RELIABILITY, q * q);
}

function buildSearchTemplate(template: Template): SearchTemplate {
  // Edge ids are Uint16 and minutia ids Uint8: 255 minutiae is the ISO record's own limit.
  // Coordinates outside the ISO 14-bit range or not finite cannot come from a valid record; they
  // are dropped so a hand-built template cannot blow up the lookup grid.
  const list = template.minutiae
    .filter((m) => Math.abs(m.x) <= MAX_COORDINATE && Math.abs(m.y) <= MAX_COORDINATE && Number.isFinite(m.direction))
    .slice(0, 255);
  const count = list.length;
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const direction = new Float32Array(count);
  const weight = new Float32Array(count);
  const bifurcation = new Uint8Array(count);
  const configuration = localConfigurationFactors(list);
  let weightSum = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    x[i] = list[i].x;
    y[i] = -list[i].y;
    direction[i] = wrapAngle(list[i].direction);
    bifurcation[i] = list[i].type === 'bifurcation' ? 1 : 0;
    weight[i] = reliabilityOf(list[i].quality) * configuration[i];
    weightSum += weight[i];
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }
  const from: number[] = [];
  const to: number[] = [];
  const lengths: number[] = [];
  const anglesFrom: number[] = [];
  const anglesTo: number[] = [];
  const angles: number[] = [];
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      if (i === j) continue;
      const dx = x[j] - x[i];
      const dy = y[j] - y[i];
      const len = Math.sqrt(dx * dx + dy * dy);
      if (len < EDGE_MIN_LENGTH || len > EDGE_MAX_LENGTH) continue;
      if (from.length >= 65535) continue;
      const angle = wrapAngle(Math.atan2(dy, dx));
      from.push(i);
      to.push(j);
      lengths.push(len);
      angles.push(angle);
      anglesFrom.push(wrapAngle(angle - direction[i]));
      anglesTo.push(wrapAngle(angle - direction[j]));
    }
  }
  const edges = from.length;
  const bucketStart = new Uint32Array(BINS + 1);
  const keys = new Int32Array(edges * 8);
  for (let e = 0; e < edges; e++) {
    spreadBuckets(lengths[e], anglesFrom[e], anglesTo[e], keys, e * 8);
    for (let k = 0; k < 8; k++) if (keys[e * 8 + k] >= 0) bucketStart[keys[e * 8 + k] + 1]++;
  }
  for (let k = 0; k < BINS; k++) bucketStart[k + 1] += bucketStart[k];
  const fill = bucketStart.slice(0, BINS);
  const bucketEdges = new Uint16Array(bucketStart[BINS]);
  for (let e = 0; e < edges; e++) {
    for (let k = 0; k < 8; k++) {
      const key = keys[e * 8 + k];
      if (key >= 0) bucketEdges[fill[key]++] = e;
    }
  }

  // Reach grid: cells of PAIR_DISTANCE_MAX px over the minutiae's bounding box plus one cell of
  // margin; each cell lists every minutia within PAIR_DISTANCE_MAX of any point of the cell, so a
  // pairing lookup reads one list. A minutia can reach cells up to two away (exactly at the
  // limit), so 5 x 5 cells are tested per minutia.
  const cell = PAIR_DISTANCE_MAX;
  const gridMinX = (count > 0 ? minX : 0) - cell;
  const gridMinY = (count > 0 ? minY : 0) - cell;
  const gridCols = (count > 0 ? Math.floor((maxX - minX) / cell) + 1 : 1) + 2;
  const gridRows = (count > 0 ? Math.floor((maxY - minY) / cell) + 1 : 1) + 2;
  const cells = gridCols * gridRows;
  const gridStart = new Uint32Array(cells + 1);
  const reach = (i: number, visit: (g: number) => void): void => {
    const cx = Math.floor((x[i] - gridMinX) / cell);
    const cy = Math.floor((y[i] - gridMinY) / cell);
    for (let gy = Math.max(0, cy - 2); gy <= Math.min(gridRows - 1, cy + 2); gy++) {
      for (let gx = Math.max(0, cx - 2); gx <= Math.min(gridCols - 1, cx + 2); gx++) {
        const left = gridMinX + gx * cell;
        const top = gridMinY + gy * cell;
        const dx = Math.max(left - x[i], 0, x[i] - (left + cell));
        const dy = Math.max(top - y[i], 0, y[i] - (top + cell));
        if (dx * dx + dy * dy <= cell * cell) visit(gy * gridCols + gx);
      }
    }
  };
  for (let i = 0; i < count; i++) reach(i, (g) => gridStart[g + 1]++);
  for (let k = 0; k < cells; k++) gridStart[k + 1] += gridStart[k];
  const gridFill = gridStart.slice(0, cells);
  const gridCells = new Uint8Array(gridStart[cells]);
  for (let i = 0; i < count; i++) reach(i, (g) => (gridCells[gridFill[g]++] = i));

  return {
    count,
    x,
    y,
    direction,
    bifurcation,
    weight,
    weightSum,
    edgeFrom: Uint8Array.from(from),
    edgeTo: Uint8Array.from(to),
    edgeLength: Float32Array.from(lengths),
    edgeAngleFrom: Float32Array.from(anglesFrom),
    edgeAngleTo: Float32Array.from(anglesTo),
    edgeAngle: Float32Array.from(angles),
    // From the stored Float32 values, exactly as a lookup with another template's edge computes it.
    edgeBucket: Uint16Array.from(Float32Array.from(lengths), (len, e) => bucketOf(len, Math.fround(anglesFrom[e]), Math.fround(anglesTo[e]))),
    bucketEdges,
    bucketStart,
    gridCols,
    gridRows,
    gridMinX,
    gridMinY,
    gridCells,
    gridStart,
    minX: count > 0 ? minX : 0,
    maxX: count > 0 ? maxX : 0,
    minY: count > 0 ? minY : 0,
    maxY: count > 0 ? maxY : 0,
  };
}
