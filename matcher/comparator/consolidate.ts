import type { SearchTemplate } from './searchTemplate.ts';
import { TWO_PI, normalizedAngleDistance, wrapAngle } from '../primitives/angles.ts';
import {
  CONSISTENCY_ANGLE,
  CONSISTENCY_LENGTH_BASE,
  CONSISTENCY_LENGTH_SLOPE,
  CONSISTENCY_RADIUS,
  CONSISTENCY_SUPPORT,
  OVERLAP_RAMP,
  PAIR_ANGLE_TOLERANCE,
  PAIR_DISTANCE_BASE,
  PAIR_DISTANCE_MAX,
  PAIR_DISTANCE_SLOPE,
  TYPE_MISMATCH_WEIGHT,
} from '../parameters.ts';

/** Minimum minutia count assumed in the overlap, so a handful of paired minutiae cannot score high. */
const MIN_OVERLAP_COUNT = 10;
/** Weight added to every pair in the refit (pair weights are at most 1). */
const REFIT_WEIGHT_FLOOR = 1e-3;

/** Rigid transform probe -> candidate: rotate by `angle` about the origin, then translate. */
interface Alignment {
  angle: number;
  tx: number;
  ty: number;
  /** Centre of the agreement (candidate frame): distortion tolerance grows away from it. */
  cx: number;
  cy: number;
}

/** Reusable buffers for one comparison: consolidation runs once per root. */
export class Scratch {
  readonly px: Float32Array;
  readonly py: Float32Array;
  readonly pd: Float32Array;
  readonly pairProbe: Uint8Array;
  readonly pairCandidate: Uint8Array;
  readonly pairCost: Float32Array;
  readonly order: Uint16Array;
  readonly probeTaken: Uint8Array;
  readonly candidateTaken: Uint8Array;
  readonly matchedProbe: Uint8Array;
  readonly matchedCandidate: Uint8Array;
  readonly matchedWeight: Float32Array;
  readonly support: Float32Array;
  readonly rotationCos: Float64Array;
  readonly rotationSin: Float64Array;
  matched = 0;
  constructor(np: number, nc: number) {
    this.px = new Float32Array(np);
    this.py = new Float32Array(np);
    this.pd = new Float32Array(np);
    const maxPairs = np * 8 + 16;
    this.pairProbe = new Uint8Array(maxPairs);
    this.pairCandidate = new Uint8Array(maxPairs);
    this.pairCost = new Float32Array(maxPairs);
    this.order = new Uint16Array(maxPairs);
    this.probeTaken = new Uint8Array(np);
    this.candidateTaken = new Uint8Array(nc);
    this.matchedProbe = new Uint8Array(Math.min(np, nc));
    this.matchedCandidate = new Uint8Array(Math.min(np, nc));
    this.matchedWeight = new Float32Array(Math.min(np, nc));
    this.support = new Float32Array(Math.min(np, nc));
    this.rotationCos = new Float64Array(Math.min(np, nc));
    this.rotationSin = new Float64Array(Math.min(np, nc));
  }
}

/**
 * Global consolidation of one root: align the probe on the candidate with the root edge, pair
 * minutiae one-to-one (closest first) within a tolerance that widens away from the root to absorb
 * skin elasticity, refit the alignment to the pairs by least squares weighted by their local
 * consistency, pair again, weigh each pair by its local consistency, and score the result as
 * (weighted pairs)^2 / (minutiae of each print inside the other's area).
 */
export function consolidate(
  probe: SearchTemplate,
  candidate: SearchTemplate,
  probeEdge: number,
  candidateEdge: number,
  scratch: Scratch,
  minPairs: number,
): number {
  const angle = candidate.edgeAngle[candidateEdge] - probe.edgeAngle[probeEdge];
  const pf = probe.edgeFrom[probeEdge];
  const pt = probe.edgeTo[probeEdge];
  const cf = candidate.edgeFrom[candidateEdge];
  const ct = candidate.edgeTo[candidateEdge];
  const pmx = (probe.x[pf] + probe.x[pt]) / 2;
  const pmy = (probe.y[pf] + probe.y[pt]) / 2;
  const cmx = (candidate.x[cf] + candidate.x[ct]) / 2;
  const cmy = (candidate.y[cf] + candidate.y[ct]) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const first: Alignment = { angle, tx: cmx - (cos * pmx - sin * pmy), ty: cmy - (sin * pmx + cos * pmy), cx: cmx, cy: cmy };
  pair(probe, candidate, first, scratch);
  // A root that pairs far fewer minutiae than the best root so far cannot win: skip the refit.
  if (scratch.matched < Math.max(3, minPairs)) return 0;
  const refined = refit(probe, candidate, scratch);
  pair(probe, candidate, refined, scratch);
  return score(probe, candidate, refined, scratch);
}

function pair(probe: SearchTemplate, candidate: SearchTemplate, a: Alignment, s: Scratch): void {
  const cos = Math.cos(a.angle);
  const sin = Math.sin(a.angle);
  const np = probe.count;
  let pairs = 0;
  const cell = PAIR_DISTANCE_MAX;
  const rotation = wrapAngle(a.angle);
  const cols = candidate.gridCols;
  const rows = candidate.gridRows;
  const gridMinX = candidate.gridMinX;
  const gridMinY = candidate.gridMinY;
  const gridStart = candidate.gridStart;
  const gridCells = candidate.gridCells;
  const cx = candidate.x;
  const cy = candidate.y;
  const cd = candidate.direction;
  const maxPairs = s.pairCost.length;
  for (let p = 0; p < np; p++) {
    const x = cos * probe.x[p] - sin * probe.y[p] + a.tx;
    const y = sin * probe.x[p] + cos * probe.y[p] + a.ty;
    let d = probe.direction[p] + rotation;
    if (d >= TWO_PI) d -= TWO_PI;
    s.px[p] = x;
    s.py[p] = y;
    s.pd[p] = d;
    const rx = x - a.cx;
    const ry = y - a.cy;
    const r = Math.sqrt(rx * rx + ry * ry);
    const tol = Math.min(PAIR_DISTANCE_MAX, PAIR_DISTANCE_BASE + PAIR_DISTANCE_SLOPE * r);
    const tol2 = tol * tol;
    // The one reach-grid cell holding x, y lists every candidate that can be within tolerance.
    const gx = Math.floor((x - gridMinX) / cell);
    const gy = Math.floor((y - gridMinY) / cell);
    if (gx < 0 || gy < 0 || gx >= cols || gy >= rows) continue;
    const g = gy * cols + gx;
    const end = gridStart[g + 1];
    for (let k = gridStart[g]; k < end; k++) {
      const c = gridCells[k];
      const dx = cx[c] - x;
      const dy = cy[c] - y;
      const dist2 = dx * dx + dy * dy;
      if (dist2 > tol2) continue;
      const da = normalizedAngleDistance(cd[c], d);
      if (da > PAIR_ANGLE_TOLERANCE || pairs >= maxPairs) continue;
      s.pairProbe[pairs] = p;
      s.pairCandidate[pairs] = c;
      s.pairCost[pairs] = Math.sqrt(dist2) / tol + da / PAIR_ANGLE_TOLERANCE;
      pairs++;
    }
  }
  // Insertion sort of pair indices by cost: lists are short (about one pair per probe minutia).
  const order = s.order;
  const cost = s.pairCost;
  for (let k = 0; k < pairs; k++) {
    const c = cost[k];
    let j = k - 1;
    while (j >= 0 && cost[order[j]] > c) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = k;
  }
  s.probeTaken.fill(0, 0, np);
  s.candidateTaken.fill(0, 0, candidate.count);
  let matched = 0;
  for (let k = 0; k < pairs; k++) {
    const i = order[k];
    const p = s.pairProbe[i];
    const c = s.pairCandidate[i];
    if (s.probeTaken[p] || s.candidateTaken[c]) continue;
    s.probeTaken[p] = 1;
    s.candidateTaken[c] = 1;
    s.matchedProbe[matched] = p;
    s.matchedCandidate[matched] = c;
    const typeWeight = probe.bifurcation[p] === candidate.bifurcation[c] ? 1 : TYPE_MISMATCH_WEIGHT;
    s.matchedWeight[matched] = (1 - 0.25 * s.pairCost[i]) * Math.sqrt(probe.weight[p] * candidate.weight[c]) * typeWeight;
    matched++;
  }
  s.matched = matched;
}

/**
 * Least-squares rotation and translation (2-D Procrustes) over the current pairs, each weighted
 * by its local consistency (times reliability and pairing cost, as in the score): the first
 * pairing runs under the wide tolerance and takes chance pairs that would pull an unweighted
 * fit off the pairs that agree with their neighbours. A small floor keeps the fit defined when
 * no pair has support (then every pair counts alike).
 */
function refit(probe: SearchTemplate, candidate: SearchTemplate, s: Scratch): Alignment {
  const m = s.matched;
  localConsistency(probe, candidate, s);
  let total = 0;
  let pcx = 0;
  let pcy = 0;
  let ccx = 0;
  let ccy = 0;
  for (let k = 0; k < m; k++) {
    const w = s.matchedWeight[k] + REFIT_WEIGHT_FLOOR;
    total += w;
    pcx += w * probe.x[s.matchedProbe[k]];
    pcy += w * probe.y[s.matchedProbe[k]];
    ccx += w * candidate.x[s.matchedCandidate[k]];
    ccy += w * candidate.y[s.matchedCandidate[k]];
  }
  pcx /= total;
  pcy /= total;
  ccx /= total;
  ccy /= total;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < m; k++) {
    const w = s.matchedWeight[k] + REFIT_WEIGHT_FLOOR;
    const ax = probe.x[s.matchedProbe[k]] - pcx;
    const ay = probe.y[s.matchedProbe[k]] - pcy;
    const bx = candidate.x[s.matchedCandidate[k]] - ccx;
    const by = candidate.y[s.matchedCandidate[k]] - ccy;
    sxx += w * (ax * bx + ay * by);
    sxy += w * (ax * by - ay * bx);
  }
  const angle = Math.atan2(sxy, sxx);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return { angle, tx: ccx - (cos * pcx - sin * pcy), ty: ccy - (sin * pcx + cos * pcy), cx: ccx, cy: ccy };
}

function score(probe: SearchTemplate, candidate: SearchTemplate, a: Alignment, s: Scratch): number {
  const m = s.matched;
  if (m < 3) return 0;
  localConsistency(probe, candidate, s);
  let weight = 0;
  for (let k = 0; k < m; k++) weight += s.matchedWeight[k];
  // Probe minutiae (already transformed in s.px/py) inside the candidate's area.
  let probeInside = 0;
  for (let p = 0; p < probe.count; p++) {
    probeInside += probe.weight[p] * overlapShare(candidate, s.px[p], s.py[p]);
  }
  // Candidate minutiae mapped back into the probe frame, inside the probe's area.
  const cos = Math.cos(-a.angle);
  const sin = Math.sin(-a.angle);
  let candidateInside = 0;
  for (let c = 0; c < candidate.count; c++) {
    const dx = candidate.x[c] - a.tx;
    const dy = candidate.y[c] - a.ty;
    const x = cos * dx - sin * dy;
    const y = sin * dx + cos * dy;
    candidateInside += candidate.weight[c] * overlapShare(probe, x, y);
  }
  // The floor is MIN_OVERLAP_COUNT minutiae of average reliability for that template, so it
  // scales like the sums it bounds (a uniformly low-quality template is not pushed to the floor).
  const np = Math.max((MIN_OVERLAP_COUNT * probe.weightSum) / probe.count, probeInside, weight);
  const nc = Math.max((MIN_OVERLAP_COUNT * candidate.weightSum) / candidate.count, candidateInside, weight);
  return (100 * weight * weight) / (np * nc);
}

/**
 * How far a point counts as inside the template's area: 1 within its minutiae bounding box,
 * falling linearly to 0 at OVERLAP_RAMP px (Euclidean distance) from it.
 */
function overlapShare(t: SearchTemplate, x: number, y: number): number {
  const dx = Math.max(t.minX - x, 0, x - t.maxX);
  const dy = Math.max(t.minY - y, 0, y - t.maxY);
  const d2 = dx * dx + dy * dy;
  if (d2 === 0) return 1;
  if (d2 >= OVERLAP_RAMP * OVERLAP_RAMP) return 0;
  return 1 - Math.sqrt(d2) / OVERLAP_RAMP;
}

/**
 * Local consistency: a pair is trusted as far as its neighbouring pairs sit at the same
 * distance and relative angle in both prints. Chance pairings under the wide global tolerance
 * rarely have consistent neighbours; genuine ones do even under distortion, which is local.
 */
function localConsistency(probe: SearchTemplate, candidate: SearchTemplate, s: Scratch): void {
  const m = s.matched;
  const support = s.support;
  const rotationCos = s.rotationCos;
  const rotationSin = s.rotationSin;
  const px = probe.x;
  const py = probe.y;
  const cx = candidate.x;
  const cy = candidate.y;
  const radius2 = CONSISTENCY_RADIUS * CONSISTENCY_RADIUS;
  const cosTolerance = Math.cos(CONSISTENCY_ANGLE);
  for (let k = 0; k < m; k++) {
    support[k] = 0;
    const rotation = candidate.direction[s.matchedCandidate[k]] - probe.direction[s.matchedProbe[k]];
    rotationCos[k] = Math.cos(rotation);
    rotationSin[k] = Math.sin(rotation);
  }
  for (let k = 0; k < m; k++) {
    const pk = s.matchedProbe[k];
    const ck = s.matchedCandidate[k];
    const cosK = rotationCos[k];
    const sinK = rotationSin[k];
    for (let l = k + 1; l < m; l++) {
      const pl = s.matchedProbe[l];
      const cl = s.matchedCandidate[l];
      const pdx = px[pl] - px[pk];
      const pdy = py[pl] - py[pk];
      const cdx = cx[cl] - cx[ck];
      const cdy = cy[cl] - cy[ck];
      const lp2 = pdx * pdx + pdy * pdy;
      const lc2 = cdx * cdx + cdy * cdy;
      if (lp2 > radius2 && lc2 > radius2) continue;
      const lp = Math.sqrt(lp2);
      const lc = Math.sqrt(lc2);
      if (Math.abs(lp - lc) > CONSISTENCY_LENGTH_BASE + CONSISTENCY_LENGTH_SLOPE * Math.max(lp, lc)) continue;
      // Both minutiae must turn alike, i.e. the edge keeps its angle to each minutia's direction:
      // the probe edge turned by either minutia's rotation lies within CONSISTENCY_ANGLE of the
      // candidate edge (the cosine of the angle between them, without atan2).
      const bound = cosTolerance * lp * lc;
      if ((cosK * pdx - sinK * pdy) * cdx + (sinK * pdx + cosK * pdy) * cdy < bound) continue;
      const cosL = rotationCos[l];
      const sinL = rotationSin[l];
      if ((cosL * pdx - sinL * pdy) * cdx + (sinL * pdx + cosL * pdy) * cdy < bound) continue;
      support[k]++;
      support[l]++;
    }
  }
  for (let k = 0; k < m; k++) s.matchedWeight[k] *= Math.min(1, support[k] / CONSISTENCY_SUPPORT);
}
