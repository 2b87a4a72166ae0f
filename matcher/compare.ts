import type { Template } from './types.ts';
import { searchTemplate } from './comparator/searchTemplate.ts';
import { findRoots } from './comparator/findRoots.ts';
import { Scratch, consolidate } from './comparator/consolidate.ts';

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
  const scratch = new Scratch(p.count, c.count);
  let best = 0;
  for (let r = 0; r < roots.count; r++) {
    const s = consolidate(p, c, roots.probeEdge[r], roots.candidateEdge[r], scratch);
    if (s > best) best = s;
  }
  return Math.round(best * 1000) / 1000;
}
