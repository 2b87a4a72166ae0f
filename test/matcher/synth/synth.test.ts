import t from 'tap';
import { generateMasterPrint, renderBadFrame, renderImpression, type PatternClass } from '../../../matcher/synth/index.ts';
import type { GrayImage } from '../../../matcher/types.ts';

const BACKGROUND_LEVEL = 215;

function stats(img: GrayImage, where?: (i: number) => boolean) {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < img.pixels.length; i++) {
    if (where && !where(i)) continue;
    n++;
    sum += img.pixels[i];
    sq += img.pixels[i] ** 2;
  }
  const mean = sum / n;
  return { n, mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** Fraction of pixels clearly darker than the sensor background. */
function foreground(img: GrayImage): number {
  let dark = 0;
  for (const p of img.pixels) if (p < BACKGROUND_LEVEL) dark++;
  return dark / img.pixels.length;
}

/** Ridge contrast: spread between the 10th and 90th percentile inside the finger. */
function ridgeContrast(img: GrayImage): number {
  const fg: number[] = [];
  const blurredDark = localMean(img, 8);
  for (let i = 0; i < img.pixels.length; i++) if (blurredDark[i] < BACKGROUND_LEVEL) fg.push(img.pixels[i]);
  if (fg.length < 100) return 0;
  fg.sort((a, b) => a - b);
  return fg[Math.floor(fg.length * 0.9)] - fg[Math.floor(fg.length * 0.1)];
}

function localMean(img: GrayImage, r: number): Float32Array {
  const { width, height, pixels } = img;
  const out = new Float32Array(pixels.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let s = 0;
      let n = 0;
      for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j += 4) {
        for (let i = Math.max(0, x - r); i <= Math.min(width - 1, x + r); i += 4) {
          s += pixels[j * width + i];
          n++;
        }
      }
      out[y * width + x] = s / n;
    }
  }
  return out;
}

function differingPixels(a: GrayImage, b: GrayImage): number {
  let d = 0;
  for (let i = 0; i < a.pixels.length; i++) if (Math.abs(a.pixels[i] - b.pixels[i]) > 40) d++;
  return d / a.pixels.length;
}

function wellFormed(t: Pick<typeof import('tap').t, 'equal' | 'ok' | 'type'>, img: GrayImage): void {
  t.equal(img.dpi, 500);
  t.ok(img.width >= 250 && img.width <= 400, `width ${img.width}`);
  t.ok(img.height >= 300 && img.height <= 480, `height ${img.height}`);
  t.type(img.pixels, Uint8Array);
  t.equal(img.pixels.length, img.width * img.height);
}

t.test('generateMasterPrint', (t) => {
  t.test('is deterministic: the same seed gives identical bytes', (t) => {
    const a = generateMasterPrint(42);
    const b = generateMasterPrint(42, { pattern: a.pattern });
    t.not(a, b, 'built twice (different cache keys)');
    t.same(Buffer.from(a.image.pixels), Buffer.from(b.image.pixels));
    t.same(a.cores, b.cores);
    t.end();
  });

  t.test('different seeds give different fingers', (t) => {
    // Same class, so only the seed differs (the masters are shared with the tests below).
    const a = generateMasterPrint(3, { pattern: 'right_loop' });
    const b = generateMasterPrint(21, { pattern: 'right_loop' });
    t.ok(differingPixels(a.image, b.image) > 0.2, 'more than a fifth of pixels differ');
    t.end();
  });

  t.test('places the singular points each pattern class has', (t) => {
    const expected: Record<PatternClass, [number, number]> = {
      arch: [0, 0], tented_arch: [1, 1], left_loop: [1, 1], right_loop: [1, 1], whorl: [2, 2],
    };
    for (const [pattern, [cores, deltas]] of Object.entries(expected) as [PatternClass, [number, number]][]) {
      const m = generateMasterPrint(3, { pattern });
      t.equal(m.pattern, pattern);
      t.equal(m.cores.length, cores, `${pattern} cores`);
      t.equal(m.deltas.length, deltas, `${pattern} deltas`);
    }
    const left = generateMasterPrint(3, { pattern: 'left_loop' });
    const right = generateMasterPrint(3, { pattern: 'right_loop' });
    t.ok(left.deltas[0].x > left.cores[0].x, 'left loop: delta right of the core');
    t.ok(right.deltas[0].x < right.cores[0].x, 'right loop: delta left of the core');
    t.end();
  });

  t.test('draws a finger with realistic ridge spacing and balanced ridges', (t) => {
    const m = generateMasterPrint(3, { pattern: 'whorl' });
    wellFormed(t, m.image);
    let inside = 0;
    let ridge = 0;
    for (let y = 0; y < m.height; y++) {
      for (let x = 0; x < m.width; x++) {
        const i = y * m.width + x;
        if (!m.mask[i]) continue;
        inside++;
        if (m.ridges[i] > 0) ridge++;
      }
    }
    // Walk across the ridges (along the local normal) from grid points inside the finger and
    // count ridge/valley transitions: a period-p pattern has 2 per p pixels.
    let crossings = 0;
    let walked = 0;
    for (let y = 40; y < m.height - 40; y += 20) {
      for (let x = 40; x < m.width - 40; x += 20) {
        const theta = m.orientation[y * m.width + x];
        const nx = -Math.sin(theta);
        const ny = Math.cos(theta);
        let prev: boolean | null = null;
        for (let s = -15; s <= 15; s++) {
          const i = Math.round(y + s * ny) * m.width + Math.round(x + s * nx);
          if (!m.mask[i]) { prev = null; continue; }
          const isRidge = m.ridges[i] > 0;
          if (prev !== null) {
            walked++;
            if (isRidge !== prev) crossings++;
          }
          prev = isRidge;
        }
      }
    }
    t.ok(inside > 0.6 * m.width * m.height, `finger covers ${(inside / (m.width * m.height)).toFixed(2)}`);
    const ridgeShare = ridge / inside;
    t.ok(ridgeShare > 0.4 && ridgeShare < 0.6, `ridge share ${ridgeShare.toFixed(2)}`);
    const period = (2 * walked) / crossings;
    t.ok(period > 7.5 && period < 12.5, `mean ridge period ≈ ${period.toFixed(1)} px`);
    t.end();
  });

  t.test('rejects a non-finite seed', (t) => {
    t.throws(() => generateMasterPrint(Number.NaN), RangeError);
    t.end();
  });
  t.end();
});

t.test('renderImpression', (t) => {
  const master = generateMasterPrint(21, { pattern: 'right_loop' });

  t.test('is deterministic per (master, seed) and differs between seeds', (t) => {
    const a = renderImpression(master, 1);
    const b = renderImpression(master, 1);
    const c = renderImpression(master, 2);
    t.same(Buffer.from(a.pixels), Buffer.from(b.pixels));
    t.ok(differingPixels(a, c) > 0.05, 'another seed moves the ridges');
    t.end();
  });

  t.test('defaults to a good capture: dark ridges on a light background with strong contrast', (t) => {
    for (const seed of [1, 2, 3]) {
      const img = renderImpression(master, seed);
      wellFormed(t, img);
      const fg = foreground(img);
      t.ok(fg > 0.35 && fg < 0.8, `foreground share ${fg.toFixed(2)}`);
      const corner = stats(img, (i) => i % img.width < 10 && Math.floor(i / img.width) < 10);
      t.ok(corner.mean > 220, `background corner mean ${corner.mean.toFixed(0)}`);
      t.ok(ridgeContrast(img) > 90, `ridge contrast ${ridgeContrast(img)}`);
    }
    t.end();
  });

  t.test('rotation changes the image while the same seed otherwise stays put', (t) => {
    const base = { dx: 0, dy: 0, rotationDeg: 0 };
    const straight = renderImpression(master, 5, base);
    const turned = renderImpression(master, 5, { ...base, rotationDeg: 15 });
    t.ok(differingPixels(straight, turned) > 0.1, 'a 15° turn moves many ridges');
    t.end();
  });

  t.test('less contact leaves less foreground', (t) => {
    const full = foreground(renderImpression(master, 5, { contact: 1 }));
    const half = foreground(renderImpression(master, 5, { contact: 0.35 }));
    t.ok(half < full * 0.6, `foreground ${half.toFixed(2)} vs ${full.toFixed(2)}`);
    t.end();
  });

  t.test('pressure thickens ridges and dryness thins them', (t) => {
    const dark = (pressure: number) => stats(renderImpression(master, 5, { pressure }), (i) => i > 0).mean;
    const wet = dark(0.8);
    const normal = dark(0);
    const dry = dark(-0.8);
    t.ok(wet < normal - 5, `wet mean ${wet.toFixed(0)} below normal ${normal.toFixed(0)}`);
    t.ok(dry > normal + 5, `dry mean ${dry.toFixed(0)} above normal ${normal.toFixed(0)}`);
    t.end();
  });

  t.test('noise option adds pixel noise in the background', (t) => {
    const bgStd = (noise: number) => {
      const img = renderImpression(master, 5, { noise, dx: 0, dy: 0 });
      return stats(img, (i) => i % img.width < 15 && Math.floor(i / img.width) < 15).std;
    };
    t.ok(bgStd(1) > bgStd(0) * 2, 'noisy background is rougher');
    t.end();
  });

  t.test('rejects out-of-range options with RangeError', (t) => {
    t.throws(() => renderImpression(master, 1, { contact: 0 }), RangeError);
    t.throws(() => renderImpression(master, 1, { pressure: 2 }), RangeError);
    t.throws(() => renderImpression(master, 1, { dx: Number.NaN }), RangeError);
    t.end();
  });
  t.end();
});

t.test('renderBadFrame', (t) => {
  const master = generateMasterPrint(3, { pattern: 'left_loop' });
  const good = renderImpression(master, 9);
  const goodContrast = ridgeContrast(good);

  t.test('blank has no finger: mean near background, almost no variation', (t) => {
    const img = renderBadFrame('blank', 1);
    wellFormed(t, img);
    const s = stats(img);
    t.ok(s.mean > 220, `mean ${s.mean.toFixed(0)}`);
    t.ok(s.std < 8, `std ${s.std.toFixed(1)}`);
    t.ok(foreground(img) < 0.01, 'no dark area');
    t.end();
  });

  t.test('too_light is a finger with low ridge contrast', (t) => {
    const img = renderBadFrame('too_light', 1, master);
    const c = ridgeContrast(img);
    t.ok(c < goodContrast / 2.5, `contrast ${c} vs good ${goodContrast}`);
    t.ok(stats(img).mean > stats(good).mean + 15, 'lighter overall');
    t.end();
  });

  t.test('too_dark is a dark finger area with ridges merged', (t) => {
    const img = renderBadFrame('too_dark', 1, master);
    const fg = stats(img, (i) => img.pixels[i] < 200);
    t.ok(fg.mean < 60, `finger mean ${fg.mean.toFixed(0)}`);
    t.ok(fg.std < 25, `finger std ${fg.std.toFixed(1)}`);
    t.ok(foreground(img) > 0.3, 'covers the sensor');
    t.end();
  });

  t.test('smudged keeps little ridge detail', (t) => {
    const img = renderBadFrame('smudged', 1, master);
    const highFreq = (im: GrayImage) => {
      // Mean absolute horizontal+vertical gradient: ridges make it large, a smear small.
      let s = 0;
      for (let y = 1; y < im.height; y++) {
        for (let x = 1; x < im.width; x++) {
          const i = y * im.width + x;
          s += Math.abs(im.pixels[i] - im.pixels[i - 1]) + Math.abs(im.pixels[i] - im.pixels[i - im.width]);
        }
      }
      return s / im.pixels.length;
    };
    t.ok(highFreq(img) < highFreq(good) * 0.5, `gradient ${highFreq(img).toFixed(1)} vs ${highFreq(good).toFixed(1)}`);
    t.end();
  });

  t.test('partial shows only an edge of the finger', (t) => {
    for (const seed of [1, 2, 3, 4]) {
      const img = renderBadFrame('partial', seed, master);
      const fg = foreground(img);
      t.ok(fg > 0.02 && fg < 0.3, `seed ${seed}: foreground ${fg.toFixed(2)}`);
    }
    t.end();
  });

  t.test('is deterministic and works without a master', (t) => {
    const a = renderBadFrame('smudged', 4);
    const b = renderBadFrame('smudged', 4);
    t.same(Buffer.from(a.pixels), Buffer.from(b.pixels));
    t.throws(() => renderBadFrame('nope' as 'blank', 1), RangeError);
    t.end();
  });
  t.end();
});
