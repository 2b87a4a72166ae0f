import t from 'tap';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { dpiForSet, errorRates, runSet } from '../../scripts/bench-matcher.ts';

/**
 * Accuracy regression on the shared FVC2002 B sets (FVC protocol, 280 genuine and 2,880 impostor
 * pairs per set). Limits sit a little above the figures measured with `npm run bench:matcher`
 * (matcher/README.md); a change that moves a figure past its limit is a regression. Runs where
 * ../shared exists and is required when CI=true; never copies the images into the repo.
 */
const SHARED = fileURLToPath(new URL('../../../shared/fingerprints/', import.meta.url));
const REQUIRED = process.env.CI === 'true';

const LIMITS = [
  // Measured (matcher 1.2.0): db1 0.70% / 1.07%, db2 1.80% / 3.57%, db3 1.43% / 2.86%, db4 1.43% / 3.57%.
  { set: 'fvc2002-db1b', eer: 0.012, fmr1000: 0.02, failuresToExtract: 0 },
  { set: 'fvc2002-db2b', eer: 0.025, fmr1000: 0.05, failuresToExtract: 0 },
  { set: 'fvc2002-db3b', eer: 0.02, fmr1000: 0.045, failuresToExtract: 0 },
  { set: 'fvc2002-db4b', eer: 0.02, fmr1000: 0.05, failuresToExtract: 0 },
] as const;

t.test('matcher accuracy on FVC2002', async (t) => {
  const present = existsSync(SHARED);
  if (!present && !REQUIRED) {
    t.comment(`${SHARED} not present: accuracy regression runs only where it exists or CI=true`);
    return;
  }
  t.ok(present, `${SHARED} must exist when CI=true`);
  if (!present) return;
  for (const limit of LIMITS) {
    t.test(`${limit.set} stays within EER ${limit.eer} and FMR1000 ${limit.fmr1000}`, async (t) => {
      const dir = join(SHARED, limit.set);
      const res = runSet(dir, dpiForSet(dir));
      t.equal(res.native.genuine.count, 280, 'FVC genuine pairs');
      t.equal(res.native.impostorAll.count, 2880, 'extended impostor pairs');
      const rates = errorRates(res.native.genuine, res.native.impostorAll);
      t.ok(rates.eer <= limit.eer, `EER ${(rates.eer * 100).toFixed(2)}%`);
      t.ok(rates.fmr1000 <= limit.fmr1000, `FMR1000 ${(rates.fmr1000 * 100).toFixed(2)}%`);
      t.ok(res.failuresToExtract <= limit.failuresToExtract, `${res.failuresToExtract} failures to extract`);
    });
  }
});
