import type { SearchTemplate } from './searchTemplate.ts';
import { normalizedAngleDistance as angleDistance } from '../primitives/angles.ts';
import { EDGE_ANGLE_TOLERANCE, EDGE_LENGTH_TOLERANCE, MAX_ROOTS } from '../parameters.ts';

/** A probe edge paired with a candidate edge of the same shape: a hypothesis for the alignment. */
export interface Roots {
  readonly count: number;
  readonly probeEdge: Uint16Array;
  readonly candidateEdge: Uint16Array;
}

const MAX_HITS = 8192;
// Module-level buffers: compare() is synchronous, so one comparison owns them at a time.
let votesBuffer = new Uint16Array(255 * 255);
const hitProbe = new Uint16Array(MAX_HITS);
const hitCandidate = new Uint16Array(MAX_HITS);
const hitError = new Float32Array(MAX_HITS);
const topHit = new Int32Array(MAX_ROOTS);
const topSupport = new Float32Array(MAX_ROOTS);

/**
 * Local structure matching: every probe edge looks up candidate edges of similar length and
 * relative angles through the shape buckets (the candidate files each edge under 8 buckets). Each
 * hit votes for the two minutia pairings it implies; the roots kept are the hits whose pairings
 * collected the most votes, i.e. whose neighbourhoods agree, not merely one lucky edge.
 */
export function findRoots(probe: SearchTemplate, candidate: SearchTemplate): Roots {
  const nc = candidate.count;
  const cells = Math.max(1, probe.count * nc);
  if (votesBuffer.length < cells) votesBuffer = new Uint16Array(cells);
  const votes = votesBuffer;
  votes.fill(0, 0, cells);
  let hits = 0;
  const edges = probe.edgeFrom.length;
  const bucketStart = candidate.bucketStart;
  const bucketEdges = candidate.bucketEdges;
  const cLength = candidate.edgeLength;
  const cAngleFrom = candidate.edgeAngleFrom;
  const cAngleTo = candidate.edgeAngleTo;
  const cFrom = candidate.edgeFrom;
  const cTo = candidate.edgeTo;
  outer: for (let e = 0; e < edges; e++) {
    const pf = probe.edgeFrom[e];
    const pt = probe.edgeTo[e];
    if (pf > pt) continue;
    const len = probe.edgeLength[e];
    const af = probe.edgeAngleFrom[e];
    const at = probe.edgeAngleTo[e];
    const bucket = probe.edgeBucket[e];
    const end = bucketStart[bucket + 1];
    for (let k = bucketStart[bucket]; k < end; k++) {
      const c = bucketEdges[k];
      const dl = Math.abs(cLength[c] - len);
      if (dl > EDGE_LENGTH_TOLERANCE) continue;
      const da = angleDistance(cAngleFrom[c], af);
      if (da > EDGE_ANGLE_TOLERANCE) continue;
      const db = angleDistance(cAngleTo[c], at);
      if (db > EDGE_ANGLE_TOLERANCE) continue;
      votes[pf * nc + cFrom[c]]++;
      votes[pt * nc + cTo[c]]++;
      hitProbe[hits] = e;
      hitCandidate[hits] = c;
      hitError[hits] = dl / EDGE_LENGTH_TOLERANCE + (da + db) / EDGE_ANGLE_TOLERANCE;
      if (++hits >= MAX_HITS) break outer;
    }
  }
  // Rank hits by the support of both pairings, minus a little for shape error; keep the best
  // MAX_ROOTS with an insertion into a short sorted list (ties keep the earlier hit).
  let keep = 0;
  for (let h = 0; h < hits; h++) {
    const e = hitProbe[h];
    const c = hitCandidate[h];
    const support =
      votes[probe.edgeFrom[e] * nc + candidate.edgeFrom[c]] + votes[probe.edgeTo[e] * nc + candidate.edgeTo[c]] - 0.5 * hitError[h];
    if (keep === MAX_ROOTS && support <= topSupport[keep - 1]) continue;
    let j = keep < MAX_ROOTS ? keep++ : keep - 1;
    while (j > 0 && topSupport[j - 1] < support) {
      topSupport[j] = topSupport[j - 1];
      topHit[j] = topHit[j - 1];
      j--;
    }
    topSupport[j] = support;
    topHit[j] = h;
  }
  const probeEdge = new Uint16Array(keep);
  const candidateEdge = new Uint16Array(keep);
  for (let r = 0; r < keep; r++) {
    probeEdge[r] = hitProbe[topHit[r]];
    candidateEdge[r] = hitCandidate[topHit[r]];
  }
  return { count: keep, probeEdge, candidateEdge };
}
