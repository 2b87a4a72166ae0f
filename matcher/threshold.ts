/**
 * Score threshold for a configured false-match rate, from impostor scores measured with
 * `npm run bench:matcher` (matcher/README.md, "Threshold table"): the pooled extended impostor
 * sets (every impression against every impression of every other finger) of FVC2002 DB1_B,
 * DB2_B, DB3_B and DB4_B, 4 x 2,880 = 11,520 comparisons, matcher version MATCHER_VERSION,
 * measured 2026-11-27. Accept a comparison when score >= threshold.
 *
 * 11,520 impostor pairs resolve FMR down to about 1e-4, where the threshold rests on a single
 * false match. Below the table the threshold is extrapolated log-linearly with the mean slope of
 * the whole table (about 2.6 points per decade), not with the noisy last segment, so it errs on
 * the strict side. Re-measure and replace this table whenever parameters.ts or the comparator
 * changes (bench output "FMR x: threshold y").
 */
const MEASURED: readonly { readonly fmr: number; readonly threshold: number }[] = [
  { fmr: 1e-2, threshold: 5.046 },
  { fmr: 3e-3, threshold: 6.329 },
  { fmr: 1e-3, threshold: 7.415 },
  { fmr: 3e-4, threshold: 9.751 },
  { fmr: 1e-4, threshold: 10.281 },
];

/** Matcher version: a change that moves scores must bump it and re-measure the table. */
export const MATCHER_VERSION = '1.3.0';

export function thresholdForFmr(fmr: number): number {
  if (typeof fmr !== 'number' || !Number.isFinite(fmr) || fmr <= 0 || fmr >= 1) {
    throw new RangeError(`false-match rate must be in (0, 1), got ${String(fmr)}`);
  }
  const table = MEASURED;
  const first = table[0];
  const last = table[table.length - 1];
  const lg = Math.log10(fmr);
  if (fmr >= first.fmr) {
    // Lax rates: interpolate towards score 0 at FMR 1 (everything accepted).
    const t = (lg - Math.log10(first.fmr)) / (0 - Math.log10(first.fmr));
    return round(first.threshold * (1 - t));
  }
  for (let k = 1; k < table.length; k++) {
    if (fmr >= table[k].fmr) return round(interpolate(table[k - 1], table[k], lg));
  }
  return round(interpolate(first, last, lg));
}

function interpolate(a: { fmr: number; threshold: number }, b: { fmr: number; threshold: number }, lg: number): number {
  const la = Math.log10(a.fmr);
  const lb = Math.log10(b.fmr);
  return a.threshold + ((lg - la) / (lb - la)) * (b.threshold - a.threshold);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
