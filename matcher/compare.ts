import type { Template } from './types.ts';
import { searchTemplate } from './comparator/searchTemplate.ts';
import { findRoots } from './comparator/findRoots.ts';
import { Scratch, consolidate } from './comparator/consolidate.ts';
import { ALWAYS_CONSOLIDATED_ROOTS } from './parameters.ts';

// Search templates hold at most 255 minutiae; compare() is synchronous, so one set of buffers
// serves every comparison in this thread without per-call allocation.
const SCRATCH = new Scratch(255, 255);
const CONFIRMED = new Uint8Array(255 * 255);

/**
 * 1:1 comparison score, 0..100, higher = more similar; deterministic. Recipe: derive the
 * invariant edge view of both templates (cached per template object), find root edge pairings
 * by local agreement, consolidate each root globally, keep the best. Convert a false-match rate
 * into a threshold with `thresholdForFmr` (threshold.ts).
 */
export function compare(probe: Template, candidate: Template): number {
  const p = searchTemplate(probe);
  const c = searchTemplate(candidate);
  if (p.count < 3 || c.count < 3) return 0;
  const roots = findRoots(p, c);
  const scratch = SCRATCH;
  // A root whose two pairings were both confirmed by an earlier consolidation mostly reproduces
  // that alignment: skip it, except among the strongest roots (ALWAYS_CONSOLIDATED_ROOTS).
  const confirmed = CONFIRMED;
  confirmed.fill(0, 0, p.count * c.count);
  let best = 0;
  let bestPairs = 0;
  for (let r = 0; r < roots.count; r++) {
    const pe = roots.probeEdge[r];
    const ce = roots.candidateEdge[r];
    if (r >= ALWAYS_CONSOLIDATED_ROOTS && confirmed[p.edgeFrom[pe] * c.count + c.edgeFrom[ce]] && confirmed[p.edgeTo[pe] * c.count + c.edgeTo[ce]]) continue;
    const s = consolidate(p, c, pe, ce, scratch, bestPairs >> 1);
    if (s > 0 && scratch.matched > bestPairs) bestPairs = scratch.matched;
    for (let k = 0; k < scratch.matched; k++) confirmed[scratch.matchedProbe[k] * c.count + scratch.matchedCandidate[k]] = 1;
    if (s > best) best = s;
  }
  return Math.round(best * 1000) / 1000;
}

/**
 * Verification score of a live probe (extractProbe) against a gallery template, 0..100: the
 * mean of `compare` over the probe's template and its alternates. Each extraction errs
 * differently (a break closed or left open, a pore bridged or not), so the mean keeps what the
 * extractions agree on and halves a single one's accident; the threshold table (threshold.ts) is
 * calibrated on this score. Without alternates it is `compare(probe.template, gallery)`.
 */
export function verifyScore(probe: { readonly template: Template; readonly alternates?: readonly Template[] }, gallery: Template): number {
  let sum = compare(probe.template, gallery);
  const alternates = probe.alternates ?? [];
  for (const t of alternates) sum += compare(t, gallery);
  return Math.round((sum / (1 + alternates.length)) * 1000) / 1000;
}
