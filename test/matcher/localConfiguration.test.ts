import t from 'tap';
import { localConfigurationFactors } from '../../matcher/comparator/localConfiguration.ts';
import { compare } from '../../matcher/compare.ts';
import type { Minutia, Template } from '../../matcher/types.ts';

const m = (x: number, y: number, direction: number, type: Minutia['type'] = 'ending'): Minutia => ({ x, y, direction, type, quality: 80 });

t.test('crowding: half weight within 4 px of another minutia, full from 16 px, linear between', async (t) => {
  t.same([...localConfigurationFactors([m(0, 0, 1)])], [1], 'a lone minutia counts fully');
  t.same([...localConfigurationFactors([m(0, 0, 1), m(100, 0, 1)])], [1, 1], 'far apart');
  t.same([...localConfigurationFactors([m(0, 0, 1), m(3, 0, 2)])], [0.5, 0.5], 'within 4 px');
  t.same([...localConfigurationFactors([m(0, 0, 1), m(10, 0, 2)])], [0.75, 0.75], 'half way at 10 px');
  t.same([...localConfigurationFactors([m(0, 0, 1), m(16, 0, 2), m(40, 0, 3)])], [1, 1, 1], 'at 16 px');
  const [a, b, c] = localConfigurationFactors([m(0, 0, 1), m(6, 0, 1), m(40, 0, 1)]);
  t.ok(a === b && c === 1, 'only the crowded pair is down-weighted');
});

t.test('facing endings (a broken ridge) count half on top of crowding', async (t) => {
  // a ends pointing left up its ridge, b pointing right up its own: the gap lies between the tips.
  const crowding8 = 0.5 + 0.5 * (4 / 12);
  const facing = localConfigurationFactors([m(0, 0, Math.PI), m(8, 0, 0)]);
  t.ok(Math.abs(facing[0] - crowding8 * 0.5) < 1e-6 && Math.abs(facing[1] - crowding8 * 0.5) < 1e-6, `facing ${facing}`);
  const tipToTip = localConfigurationFactors([m(0, 0, 0), m(8, 0, Math.PI)]);
  t.ok(Math.abs(tipToTip[0] - crowding8) < 1e-6, 'endings pointing at each other are not a broken ridge');
  const forks = localConfigurationFactors([m(0, 0, Math.PI, 'bifurcation'), m(8, 0, 0, 'bifurcation')]);
  t.ok(Math.abs(forks[0] - crowding8) < 1e-6, 'bifurcations are not a broken ridge');
  const wide = localConfigurationFactors([m(0, 0, Math.PI), m(14, 0, 0)]);
  t.ok(Math.abs(wide[0] - (0.5 + 0.5 * (10 / 12))) < 1e-6, 'a gap over 12 px is crowding only');
});

t.test('spurious crowded minutiae in the gallery cost less than the same number spread out', async (t) => {
  const base: Minutia[] = [];
  for (let i = 0; i < 30; i++) base.push(m(40 + (i % 6) * 40, 40 + Math.floor(i / 6) * 40, (i * 0.7) % 6, i % 2 ? 'ending' : 'bifurcation'));
  const probe: Template = { width: 300, height: 300, minutiae: base };
  // Ten extra minutiae, once as tight pairs 3 px beside real ones, once 20 px away from everything.
  const extra = (offset: number): Template => ({
    width: 300,
    height: 300,
    minutiae: [...base, ...base.slice(0, 10).map((b, k) => m(b.x + offset, b.y + (offset > 10 ? 20 : 0), (k * 1.3) % 6))],
  });
  const crowded = compare(probe, extra(3));
  const spread = compare(probe, extra(20));
  t.ok(crowded > spread, `crowded extras score ${crowded} > spread extras ${spread}`);
});
