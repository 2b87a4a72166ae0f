/**
 * Score threshold for a configured false-match rate, from impostor scores measured with
 * `npm run bench:matcher` (see matcher/README.md, "Threshold table"): pooled 2,880-pair extended
 * impostor sets of FVC2002 DB1_B..DB4_B (11,520 comparisons), matcher version MATCHER_VERSION.
 * Accept a comparison when score >= threshold.
 *
 * 11,520 impostor pairs measure FMR down to about 1e-4 (one false match). Below the smallest
 * measured rate the threshold is extrapolated log-linearly from the last segment, which errs on
 * the strict side because impostor score tails fall off faster than exponentially. Re-measure
 * and update this table whenever parameters.ts or the comparator changes.
 */
const MEASURED: readonly { readonly fmr: number; readonly threshold: number }[] = [
  { fmr: 1e-2, threshold: 22.44 },
  { fmr: 3e-3, threshold: 25.117 },
  { fmr: 1e-3, threshold: 28.09 },
  { fmr: 3e-4, threshold: 32.178 },
  { fmr: 1e-4, threshold: 33.719 },
];

/** Matcher version: a change that moves scores must bump it and re-measure the table. */
export const MATCHER_VERSION = '1.0.0';

export function thresholdForFmr(fmr: number): number {
  if (typeof fmr !== 'number' || !Number.isFinite(fmr) || fmr <= 0 || fmr >= 1) {
    throw new RangeError(`false-match rate must be in (0, 1), got ${String(fmr)}`);
  }
  const table = MEASURED;
  const lg = Math.log10(fmr);
  if (fmr >= table[0].fmr) {
    // Lax rates: interpolate towards score 0 at FMR 1 (everything accepted).
    const t = (lg - Math.log10(table[0].fmr)) / (0 - Math.log10(table[0].fmr));
    return round(table[0].threshold * (1 - t));
  }
  for (let k = 1; k < table.length; k++) {
    if (fmr >= table[k].fmr) return round(interpolate(table[k - 1], table[k], lg));
  }
  return round(interpolate(table[table.length - 2], table[table.length - 1], lg));
}

function interpolate(a: { fmr: number; threshold: number }, b: { fmr: number; threshold: number }, lg: number): number {
  const la = Math.log10(a.fmr);
  const lb = Math.log10(b.fmr);
  return a.threshold + ((lg - la) / (lb - la)) * (b.threshold - a.threshold);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
