import t from 'tap';
import { dpiForSet, errorRates, parseBenchArgs, protocolPairs, resampleImage, thresholdTable } from '../../scripts/bench-matcher.ts';
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

  t.test('parses --probe-scale and --probe-scale-declared', async (t) => {
    t.match(parseBenchArgs(['a', 'b']), { dirs: ['a', 'b'], probeScale: 1, probeScaleDeclared: false });
    t.match(parseBenchArgs(['--probe-scale', '0.95', '--gallery-iso', 'iso', 'a']), { dirs: ['a'], galleryIso: 'iso', probeScale: 0.95 });
    t.match(parseBenchArgs(['--probe-scale', '1.138', '--probe-scale-declared', 'a']), { probeScale: 1.138, probeScaleDeclared: true });
    for (const bad of [['--probe-scale', 'x', 'a'], ['--probe-scale', '0', 'a'], ['--probe-scale', '3', 'a'], ['--probe-scale', '0.95'], []]) {
      t.equal(parseBenchArgs(bad), null, bad.join(' '));
    }
  });

  t.test('resamples a probe image with an antialiased bilinear filter, keeping its dpi', async (t) => {
    // Shrinking averages every source pixel it covers: a lone bright pixel anywhere in the row
    // leaves a trace (plain 2-tap bilinear at x0.4 reads only two of every 2.5 columns).
    for (let at = 0; at < 20; at++) {
      const pixels = new Uint8Array(20 * 5);
      pixels[2 * 20 + at] = 250;
      const small = resampleImage({ width: 20, height: 5, dpi: 500, pixels }, 0.4);
      if (at === 0) t.same([small.width, small.height, small.dpi], [8, 2, 500]);
      t.ok(Math.max(...small.pixels) > 0, `bright pixel at column ${at} kept`);
    }
    const flat = resampleImage({ width: 10, height: 10, dpi: 569, pixels: new Uint8Array(100).fill(77) }, 1.05);
    t.same([flat.width, flat.height, flat.dpi], [11, 11, 569]);
    t.ok(flat.pixels.every((v) => v === 77), 'a flat image stays flat');
    t.throws(() => resampleImage(flat, 0));
  });

  t.test('knows DB2 is 569 dpi and defaults to 500', async (t) => {
    t.equal(dpiForSet('/x/fvc2002-db2b/'), 569);
    t.equal(dpiForSet('/x/fvc2002-db1b'), 500);
  });
});
