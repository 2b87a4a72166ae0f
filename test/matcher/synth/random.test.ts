import t from 'tap';
import { hash32, Rng } from '../../../matcher/synth/random.ts';

t.test('Rng', (t) => {
  t.test('repeats the same sequence for the same seed and differs for neighbouring seeds', (t) => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    t.same(Array.from({ length: 20 }, () => b.next()), seqA);
    t.notSame(Array.from({ length: 20 }, () => c.next()), seqA);
    t.end();
  });

  t.test('draws uniform values in [0, 1) and integers within bounds', (t) => {
    const rng = new Rng(1);
    const buckets = new Array(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 20000; i++) {
      const v = rng.next();
      if (v < 0 || v >= 1) outOfRange++;
      buckets[Math.floor(v * 10)]++;
      const k = rng.int(-2, 3);
      if (k < -2 || k > 3 || !Number.isInteger(k)) outOfRange++;
    }
    t.equal(outOfRange, 0);
    for (const b of buckets) t.ok(b > 1800 && b < 2200, `bucket ${b}`);
    t.end();
  });

  t.test('normal() has mean 0 and variance 1', (t) => {
    const rng = new Rng(2);
    let s = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      s += v;
      sq += v * v;
    }
    t.ok(Math.abs(s / n) < 0.03, `mean ${(s / n).toFixed(3)}`);
    t.ok(Math.abs(sq / n - 1) < 0.05, `variance ${(sq / n).toFixed(3)}`);
    t.end();
  });

  t.test('fork gives a stream that does not shift the parent', (t) => {
    const a = new Rng(3);
    const b = new Rng(3);
    const child = a.fork(1);
    t.equal(a.next(), b.next(), 'forking draws nothing from the parent');
    t.not(child.next(), new Rng(3).fork(2).next(), 'different salts give different streams');
    t.end();
  });

  t.test('pick follows the weights', (t) => {
    const rng = new Rng(4);
    let heavy = 0;
    for (let i = 0; i < 5000; i++) if (rng.pick(['a', 'b'], [9, 1]) === 'a') heavy++;
    t.ok(heavy > 4350 && heavy < 4650, `${heavy} of 5000`);
    t.end();
  });

  t.test('hash32 spreads neighbouring integers', (t) => {
    t.not(hash32(1), hash32(2));
    t.ok(hash32(1) >= 0 && hash32(1) <= 0xffffffff);
    t.end();
  });
  t.end();
});
