import t from 'tap';
import { dpiForSet, errorRates, protocolPairs, thresholdTable } from '../../scripts/bench-matcher.ts';
import type { Impression } from '../../scripts/bench-matcher.ts';

function fvcSet(): Impression[] {
  const out: Impression[] = [];
  for (let f = 101; f <= 110; f++) for (let i = 1; i <= 8; i++) out.push({ finger: String(f), impression: i, file: `${f}_${i}.png` });
  return out;
}

t.test('bench-matcher protocol', async (t) => {
  t.test('builds the FVC pair lists: 280 genuine, 45 FVC impostor, 2,880 extended impostor', async (t) => {
    const set = fvcSet();
    const p = protocolPairs(set);
    t.equal(p.genuine.length, 280);
    t.equal(p.impostorFvc.length, 45);
    t.equal(p.impostorAll.length, 2880);
    t.ok(p.genuine.every(([a, b]) => set[a].finger === set[b].finger && set[a].impression < set[b].impression), 'template is the earlier impression');
    t.ok(p.impostorFvc.every(([a, b]) => set[a].impression === 1 && set[b].impression === 1 && set[a].finger !== set[b].finger));
  });

  t.test('computes FVC indicators with accept-when-score >= threshold', async (t) => {
    // Perfect separation: every rate is zero.
    t.same(errorRates([10, 11, 12], [1, 2, 3]), { eer: 0, fmr100: 0, fmr1000: 0, zeroFmr: 0 });
    // One of four genuine scores sits below every impostor score: FNMR 25% at zero FMR.
    const r = errorRates([0.5, 10, 11, 12], [1, 2, 3, 4]);
    t.equal(r.zeroFmr, 0.25);
    t.ok(r.eer > 0 && r.eer <= 0.25, `EER ${r.eer}`);
  });

  t.test('places the FMR threshold just above the allowed impostor scores', async (t) => {
    const impostor = Array.from({ length: 1000 }, (_, i) => i / 10);
    const [row] = thresholdTable(impostor, [1e-2]);
    t.ok(row.measuredFmr <= 1e-2, `measured ${row.measuredFmr}`);
    t.equal(impostor.filter((s) => s >= row.threshold).length, 10);
  });

  t.test('knows DB2 is 569 dpi and defaults to 500', async (t) => {
    t.equal(dpiForSet('/x/fvc2002-db2b/'), 569);
    t.equal(dpiForSet('/x/fvc2002-db1b'), 500);
  });
});
