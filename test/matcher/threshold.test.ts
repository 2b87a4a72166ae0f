import t from 'tap';
import { thresholdForFmr } from '../../matcher/threshold.ts';

t.test('thresholdForFmr', async (t) => {
  t.test('gets stricter as the false-match rate gets smaller', async (t) => {
    const rates = [0.5, 0.1, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 1e-5, 1e-6];
    const thresholds = rates.map(thresholdForFmr);
    for (let k = 1; k < thresholds.length; k++) t.ok(thresholds[k] > thresholds[k - 1], `${rates[k]} -> ${thresholds[k]}`);
  });

  t.test('rejects rates outside (0, 1)', async (t) => {
    for (const bad of [0, 1, -1e-4, 2, NaN, Infinity]) t.throws(() => thresholdForFmr(bad), RangeError, String(bad));
  });
});
