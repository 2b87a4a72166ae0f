import t from 'tap';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Histogram, dpiForSet, errorRates, runSet, type SetResult } from '../../scripts/bench-matcher.ts';
import { THRESHOLD_TABLE, thresholdForFmr } from '../../matcher/threshold.ts';

/**
 * Accuracy regression on the shared sets (FVC protocol, `npm run bench:matcher` with the
 * FingerJet gallery, matcher/README.md): native (our template as gallery) and interop
 * (FingerJet's ISO record as gallery, our probe). Each limit is the measured figure plus one
 * genuine pair (1/280 on an FVC set, 1/1820 on neurotech-uareu), capped at the README target
 * where the target is met; where it is missed (README "Known limits") the limit only stops it
 * getting worse. Refused captures and missing gallery records are asserted exactly.
 *
 * The same run pools every impostor pair available (2 x 144,640) and checks each row of the
 * threshold table: at thresholdForFmr(fmr) neither gallery kind has more false matches than the
 * row claims. Runs where ../shared exists and is required when CI=true;
 * elsewhere a skip with its reason.
 */
const SHARED = fileURLToPath(new URL('../../../shared/fingerprints/', import.meta.url));
const ISO_ROOT = join(SHARED, 'iso-fingerjet');
const REQUIRED = process.env.CI === 'true';

// Every probe is extracted three ways (the probe ensemble) and scored against 2 x 144,640
// impostor galleries: about 3 minutes of CPU alone, measured at 185 s with the box loaded and
// 309 s when tap ran it beside another file at load 10, past tap's 300 s default.
t.setTimeout(1_200_000);

interface Expected {
  readonly set: string;
  readonly genuinePairs: number;
  readonly refused: number;
  readonly galleryMissing: number;
  /** Measured with matcher 1.14.0 (fractions; verifyScore of the probe ensemble). */
  readonly native: { eer: number; fmr1000: number; fnmrAtThreshold: number };
  readonly interop: { eer: number; fnmrAtThreshold: number };
  /** README / issue #13 targets (fractions); a limit never exceeds a target the figure meets. */
  readonly target: { eer?: number; fmr1000?: number; interopFnmr: number };
}

const EXPECTED: readonly Expected[] = [
  {
    set: 'fvc2002-db1b', genuinePairs: 280, refused: 0, galleryMissing: 0,
    native: { eer: 0.00404, fmr1000: 0.00714, fnmrAtThreshold: 0.00714 },
    interop: { eer: 0.00352, fnmrAtThreshold: 0.00714 },
    target: { eer: 0.01, fmr1000: 0.03, interopFnmr: 0.03 },
  },
  {
    set: 'fvc2002-db2b', genuinePairs: 280, refused: 0, galleryMissing: 0,
    native: { eer: 0.00704, fmr1000: 0.02143, fnmrAtThreshold: 0.02143 },
    interop: { eer: 0.01426, fnmrAtThreshold: 0.02857 },
    target: { eer: 0.006, fmr1000: 0.015, interopFnmr: 0.03 },
  },
  {
    set: 'fvc2002-db3b', genuinePairs: 280, refused: 0, galleryMissing: 1,
    native: { eer: 0.00704, fmr1000: 0.01429, fnmrAtThreshold: 0.03929 },
    interop: { eer: 0.03926, fnmrAtThreshold: 0.08571 },
    target: { eer: 0.02, fmr1000: 0.08, interopFnmr: 0.1 },
  },
  {
    set: 'fvc2002-db4b', genuinePairs: 280, refused: 0, galleryMissing: 0,
    native: { eer: 0.01057, fmr1000: 0.01786, fnmrAtThreshold: 0.01429 },
    interop: { eer: 0.00704, fnmrAtThreshold: 0.01429 },
    target: { eer: 0.013, fmr1000: 0.05, interopFnmr: 0.03 },
  },
  {
    set: 'neurotech-uareu', genuinePairs: 1820, refused: 0, galleryMissing: 0,
    native: { eer: 0.00385, fmr1000: 0.00495, fnmrAtThreshold: 0.01374 },
    interop: { eer: 0.00769, fnmrAtThreshold: 0.01758 },
    target: { interopFnmr: 0.03 },
  },
];

/** Measured + one genuine pair, but never above a target the measured figure meets. */
function limit(measured: number, pairs: number, target?: number): number {
  const loose = measured + 1 / pairs + 1e-9;
  return target !== undefined && measured <= target ? Math.min(loose, target) : loose;
}

const present = existsSync(SHARED) && existsSync(ISO_ROOT);
const skip = !present && !REQUIRED ? `${SHARED} with iso-fingerjet/ not present (required when CI=true)` : false;

t.test('matcher accuracy on the shared sets, native and FingerJet gallery', { skip }, async (t) => {
  t.ok(present, `${SHARED} and ${ISO_ROOT} must exist when CI=true`);
  if (!present) return;
  const threshold = thresholdForFmr(1e-4);
  const results: SetResult[] = [];
  for (const e of EXPECTED) {
    const dir = join(SHARED, e.set);
    const res = runSet(dir, dpiForSet(dir), { galleryIso: join(ISO_ROOT, e.set), threshold });
    results.push(res);
    t.test(e.set, async (t) => {
      const interop = res.interop;
      t.ok(interop, 'interop block present');
      if (!interop) return;
      const G = e.genuinePairs;
      t.equal(res.native.genuine.count, G, 'genuine pairs');
      t.equal(res.refusedCaptures, e.refused, 'captures refused by the quality gate (score 0 as probe)');
      t.equal(interop.galleryMissing, e.galleryMissing, 'FingerJet records missing (refused by FingerJet)');
      t.equal(res.failuresToExtract, 0, 'failures to extract');
      const native = errorRates(res.native.genuine, res.native.impostorAll);
      const foreign = errorRates(interop.genuine, interop.impostorAll);
      const fnmr = (s: { genuineRejected: number; genuine: Histogram }) => s.genuineRejected / s.genuine.count;
      const check = (name: string, value: number, lim: number) =>
        t.ok(value <= lim, `${name} ${(value * 100).toFixed(2)}% <= ${(lim * 100).toFixed(2)}%`);
      check('native EER', native.eer, limit(e.native.eer, G, e.target.eer));
      check('native FMR1000', native.fmr1000, limit(e.native.fmr1000, G, e.target.fmr1000));
      check('native FNMR at the FMR 1e-4 threshold', fnmr(res.native), limit(e.native.fnmrAtThreshold, G));
      check('interop EER', foreign.eer, limit(e.interop.eer, G));
      check('interop FNMR at the FMR 1e-4 threshold', fnmr(interop), limit(e.interop.fnmrAtThreshold, G, e.target.interopFnmr));
    });
  }

  t.test('the threshold table holds on every impostor pair available, on both gallery kinds', async (t) => {
    const native = Histogram.scores();
    const foreign = Histogram.scores();
    for (const r of results) {
      native.merge(r.native.impostorAll);
      if (r.interop) foreign.merge(r.interop.impostorAll);
    }
    for (const row of THRESHOLD_TABLE) {
      const thr = thresholdForFmr(row.fmr);
      t.equal(native.count, row.native.impostorPairs, `FMR ${row.fmr}: native impostor pairs`);
      t.equal(foreign.count, row.foreign.impostorPairs, `FMR ${row.fmr}: foreign impostor pairs`);
      const nFalse = native.atLeast(thr);
      const fFalse = foreign.atLeast(thr);
      t.ok(nFalse <= row.native.falseMatches, `FMR ${row.fmr} at ${thr}: ${nFalse} native false matches (table: ${row.native.falseMatches})`);
      t.ok(fFalse <= row.foreign.falseMatches, `FMR ${row.fmr} at ${thr}: ${fFalse} foreign false matches (table: ${row.foreign.falseMatches})`);
      t.ok(Math.max(nFalse / native.count, fFalse / foreign.count) <= row.fmr, `FMR ${row.fmr}: measured within the rate`);
    }
  });
});
