import t from 'tap';
import { compare, verifyScore } from '../../matcher/compare.ts';
import { thresholdForFmr } from '../../matcher/threshold.ts';
import type { Minutia, Template } from '../../matcher/types.ts';

/** Small deterministic PRNG (mulberry32) so every run sees the same templates. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const TWO_PI = 2 * Math.PI;
const wrap = (a: number) => ((a % TWO_PI) + TWO_PI) % TWO_PI;

/** A fingerprint-like random template: minutiae at least a ridge period apart inside an ellipse. */
function randomTemplate(seed: number, count = 40): Template {
  const r = rng(seed);
  const minutiae: Minutia[] = [];
  while (minutiae.length < count) {
    const x = 150 + (r() - 0.5) * 260;
    const y = 190 + (r() - 0.5) * 330;
    if (((x - 150) / 130) ** 2 + ((y - 190) / 165) ** 2 > 1) continue;
    if (minutiae.some((m) => (m.x - x) ** 2 + (m.y - y) ** 2 < 14 ** 2)) continue;
    minutiae.push({ x, y, direction: r() * TWO_PI, type: r() < 0.5 ? 'ending' : 'bifurcation', quality: 60 });
  }
  return { width: 300, height: 380, minutiae };
}

/** Rotates (degrees, counter-clockwise on screen) about the centre, shifts, jitters, drops and adds minutiae. */
function impression(
  base: Template,
  seed: number,
  opts: { rotationDeg?: number; dx?: number; dy?: number; jitter?: number; dropRate?: number; spurious?: number } = {},
): Template {
  const r = rng(seed);
  const a = ((opts.rotationDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const jitter = opts.jitter ?? 0;
  const out: Minutia[] = [];
  for (const m of base.minutiae) {
    if (r() < (opts.dropRate ?? 0)) continue;
    const x0 = m.x - 150;
    const y0 = -(m.y - 190);
    const x = cos * x0 - sin * y0 + 150 + (opts.dx ?? 0) + (r() - 0.5) * 2 * jitter;
    const y = -(sin * x0 + cos * y0) + 190 + (opts.dy ?? 0) + (r() - 0.5) * 2 * jitter;
    out.push({ ...m, x, y, direction: wrap(m.direction + a + (r() - 0.5) * 0.3 * (jitter > 0 ? 1 : 0)) });
  }
  const extra = randomTemplate(seed + 1000, Math.max(1, opts.spurious ?? 0)).minutiae.slice(0, opts.spurious ?? 0);
  return { width: base.width, height: base.height, minutiae: [...out, ...extra] };
}

t.test('compare', async (t) => {
  const threshold = thresholdForFmr(1e-4);
  const base = randomTemplate(1);

  t.test('matches an identical template far above the threshold', async (t) => {
    t.ok(compare(base, base) > threshold * 1.5, `score ${compare(base, base)}`);
  });

  t.test('still matches rotated, shifted and noised copies', async (t) => {
    const variants: [string, Parameters<typeof impression>[2]][] = [
      ['rotated +25°', { rotationDeg: 25 }],
      ['rotated -40°', { rotationDeg: -40 }],
      ['shifted 60 px', { dx: 60, dy: -40 }],
      ['jittered 4 px, 20% dropped, 8 spurious', { jitter: 4, dropRate: 0.2, spurious: 8 }],
      ['all of it', { rotationDeg: 15, dx: -30, dy: 25, jitter: 3, dropRate: 0.15, spurious: 5 }],
    ];
    variants.forEach(([name, opts], k) => {
      const score = compare(impression(base, 10 + k, opts), base);
      t.ok(score >= threshold, `${name}: score ${score} >= ${threshold}`);
    });
  });

  t.test('matches a partial overlap (half the finger shifted out)', async (t) => {
    const half: Template = { ...base, minutiae: base.minutiae.filter((m) => m.y < 220) };
    const score = compare(impression(half, 21, { dy: 120, jitter: 2 }), base);
    t.ok(score >= threshold, `score ${score}`);
  });

  t.test('does not match different fingers', async (t) => {
    let max = 0;
    for (let s = 100; s < 140; s++) max = Math.max(max, compare(randomTemplate(s), randomTemplate(s + 50)));
    t.ok(max < threshold, `highest impostor score ${max} < ${threshold}`);
  });

  t.test('reads ISO minutia quality as the likelihood a minutia is real', async (t) => {
    const probe = impression(base, 31, { rotationDeg: 10, jitter: 3, dropRate: 0.2 });
    const withQuality = (tpl: Template, q: number): Template => ({ ...tpl, minutiae: tpl.minutiae.map((m) => ({ ...m, quality: q })) });
    // One quality for every minutia of a template (a vendor's fixed value, or 0 "not reported")
    // does not move the score: only the ranking within a template carries information.
    const reference = compare(probe, base);
    for (const q of [0, 20, 100]) t.equal(compare(withQuality(probe, q), withQuality(base, q)), reference, `all minutiae quality ${q}`);
    // Spurious gallery minutiae the extractor itself marks unreliable cost less than confident ones.
    const spurious = randomTemplate(77, 30).minutiae;
    const flagged = (q: number): Template => ({ ...base, minutiae: [...base.minutiae, ...spurious.map((m) => ({ ...m, quality: q }))] });
    const low = compare(probe, flagged(20));
    const high = compare(probe, flagged(60));
    t.ok(low > high, `30 spurious minutiae at quality 20 score ${low} > at quality 60 ${high}`);
  });

  t.test('ignores minutiae with impossible coordinates instead of failing', async (t) => {
    const broken: Template = {
      ...base,
      minutiae: [
        ...base.minutiae,
        { x: 1e12, y: 5, direction: 1, type: 'ending', quality: 50 },
        { x: NaN, y: 5, direction: 1, type: 'ending', quality: 50 },
        { x: 5, y: 5, direction: Infinity, type: 'bifurcation', quality: 50 },
      ],
    };
    t.equal(compare(broken, base), compare(base, base));
  });

  t.test('is deterministic and scores empty or tiny templates 0', async (t) => {
    const probe = impression(base, 3, { rotationDeg: 10, jitter: 3 });
    t.equal(compare(probe, base), compare(probe, base));
    const empty: Template = { width: 300, height: 380, minutiae: [] };
    t.equal(compare(empty, base), 0);
    t.equal(compare(base, { ...base, minutiae: base.minutiae.slice(0, 2) }), 0);
  });

  t.test('verifyScore is the mean over the probe template and its alternates', async (t) => {
    const probe = impression(base, 4, { rotationDeg: 8, jitter: 2 });
    const alternate = impression(base, 5, { rotationDeg: 8, jitter: 4, dropRate: 0.3 });
    const a = compare(probe, base);
    const b = compare(alternate, base);
    t.not(a, b, 'the two extractions score differently');
    t.equal(verifyScore({ template: probe, alternates: [alternate] }, base), Math.round(((a + b) / 2) * 1000) / 1000);
    t.equal(verifyScore({ template: probe, alternates: [] }, base), a, 'no alternates: plain compare');
    t.equal(verifyScore({ template: probe }, base), a);
    const stranger = randomTemplate(77);
    t.ok(verifyScore({ template: stranger, alternates: [stranger] }, base) < threshold, 'a stranger stays below the threshold');
  });
});
