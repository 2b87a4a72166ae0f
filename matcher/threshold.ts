/**
 * Score threshold for a configured false-match rate, measured with `npm run bench:matcher --
 * --gallery-iso ../shared/fingerprints/iso-fingerjet ...` (matcher/README.md, "Threshold
 * table") on every cross-finger pair available to the team: the extended impostor sets (every
 * impression against every impression of every other finger) of FVC2002 DB1_B..DB4_B (4 x 2,880)
 * and neurotech-uareu (133,120), each scored twice: with our own templates as gallery (native)
 * and with FingerJet FX OSE's ISO/IEC 19794-2 records as gallery (foreign, what an e-KTP chip
 * holds), 2 x 144,640 = 289,280 comparisons, matcher MATCHER_VERSION, measured 2026-12-05.
 * The score is verifyScore (compare.ts): a live probe extracted three times (extractProbe) against the
 * gallery template, as the counter verifies; plain compare() of two templates is not what the
 * table is calibrated on.
 * Each row's threshold is the stricter of the native and foreign thresholds, so the measured FMR
 * stays at or below the row's rate on both kinds of gallery; the counts say how many false
 * matches each row rests on. Accept a comparison when score >= threshold.
 *
 * FMR 1e-4 rests on 14 native and 13 foreign false matches. Below the table the threshold is
 * extrapolated log-linearly with the mean slope of the whole table (about 2.4 points per decade),
 * not with the noisy last segment, so it errs on the strict side. Re-measure and replace this
 * table whenever the matcher changes (version.ts: the digest test fails first).
 */
export { MATCHER_VERSION } from './version.ts';

export interface ThresholdEntry {
  readonly fmr: number;
  readonly threshold: number;
  /** Pooled impostor pairs and those scoring >= threshold, per gallery kind. */
  readonly native: { readonly impostorPairs: number; readonly falseMatches: number };
  readonly foreign: { readonly impostorPairs: number; readonly falseMatches: number };
}

const PAIRS = 144_640;
export const THRESHOLD_TABLE: readonly ThresholdEntry[] = [
  { fmr: 1e-2, threshold: 4.651, native: { impostorPairs: PAIRS, falseMatches: 1446 }, foreign: { impostorPairs: PAIRS, falseMatches: 1243 } },
  { fmr: 3e-3, threshold: 5.965, native: { impostorPairs: PAIRS, falseMatches: 433 }, foreign: { impostorPairs: PAIRS, falseMatches: 371 } },
  { fmr: 1e-3, threshold: 7.085, native: { impostorPairs: PAIRS, falseMatches: 144 }, foreign: { impostorPairs: PAIRS, falseMatches: 117 } },
  { fmr: 3e-4, threshold: 8.564, native: { impostorPairs: PAIRS, falseMatches: 43 }, foreign: { impostorPairs: PAIRS, falseMatches: 29 } },
  { fmr: 1e-4, threshold: 9.417, native: { impostorPairs: PAIRS, falseMatches: 14 }, foreign: { impostorPairs: PAIRS, falseMatches: 13 } },
];

export function thresholdForFmr(fmr: number): number {
  if (typeof fmr !== 'number' || !Number.isFinite(fmr) || fmr <= 0 || fmr >= 1) {
    throw new RangeError(`false-match rate must be in (0, 1), got ${String(fmr)}`);
  }
  const table = THRESHOLD_TABLE;
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

function interpolate(a: ThresholdEntry, b: ThresholdEntry, lg: number): number {
  const la = Math.log10(a.fmr);
  const lb = Math.log10(b.fmr);
  return a.threshold + ((lg - la) / (lb - la)) * (b.threshold - a.threshold);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
