import t from 'tap';
import { callClips, counterNumber, numberWords, parseQueueNumber, SPOKEN_CLIPS, MAX_SPOKEN } from '../../../agent/hall/spokenCall.ts';

t.test('numberWords reads numbers the Indonesian way', async (t) => {
  const cases: [number, string][] = [
    [0, 'nol'],
    [1, 'satu'],
    [7, 'tujuh'],
    [10, 'sepuluh'],
    [11, 'sebelas'],
    [12, 'dua belas'],
    [19, 'sembilan belas'],
    [20, 'dua puluh'],
    [21, 'dua puluh satu'],
    [99, 'sembilan puluh sembilan'],
    [100, 'seratus'],
    [101, 'seratus satu'],
    [110, 'seratus sepuluh'],
    [111, 'seratus sebelas'],
    [115, 'seratus lima belas'],
    [123, 'seratus dua puluh tiga'],
    [200, 'dua ratus'],
    [999, 'sembilan ratus sembilan puluh sembilan'],
    [1000, 'seribu'],
    [1001, 'seribu satu'],
    [1200, 'seribu dua ratus'],
    [2024, 'dua ribu dua puluh empat'],
    [9999, 'sembilan ribu sembilan ratus sembilan puluh sembilan'],
  ];
  for (const [n, words] of cases) t.equal(numberWords(n).join(' '), words, String(n));
});

t.test('every word numberWords can say has a clip', async (t) => {
  const missing = new Set<string>();
  for (let n = 0; n <= MAX_SPOKEN; n++) for (const w of numberWords(n)) if (!(w in SPOKEN_CLIPS)) missing.add(w);
  t.same([...missing], []);
});

t.test('numberWords refuses what it cannot read', async (t) => {
  for (const n of [-1, 1.5, MAX_SPOKEN + 1, Number.NaN]) t.throws(() => numberWords(n), RangeError, String(n));
});

t.test('queue numbers and loket labels', async (t) => {
  t.same(parseQueueNumber('A-012'), { letters: 'A', number: 12 });
  t.same(parseQueueNumber('b-123'), { letters: 'B', number: 123 });
  t.same(parseQueueNumber('007'), { letters: '', number: 7 });
  t.equal(parseQueueNumber('A-12345'), null);
  t.equal(parseQueueNumber('A B'), null);
  t.equal(counterNumber('LOKET 10'), 10);
  t.equal(counterNumber('Loket 2 '), 2);
  t.equal(counterNumber('LOKET PRIORITAS'), null);
});

t.test('callClips: chime, "nomor antrean", letters, number, "silakan ke loket", loket number', async (t) => {
  t.same(callClips('A-012', 'LOKET 2'), ['chime', 'nomor-antrean', 'huruf-a', 'dua', 'belas', 'silakan-ke-loket', 'dua']);
  t.same(callClips('B-123', 'LOKET 10'), ['chime', 'nomor-antrean', 'huruf-b', 'seratus', 'dua', 'puluh', 'tiga', 'silakan-ke-loket', 'sepuluh']);
  t.same(callClips('A-100', 'LOKET PRIORITAS'), ['chime', 'nomor-antrean', 'huruf-a', 'seratus', 'silakan-ke-loket'], 'a loket without a number');
  t.same(callClips('AB-1-2', 'LOKET 1'), ['chime', 'nomor-antrean', 'huruf-a', 'huruf-b', 'satu', 'dua', 'silakan-ke-loket', 'satu'], 'an odd number is spelled');
  for (const clip of callClips('Z-9999', 'LOKET 11')) t.ok(clip === 'chime' || clip in SPOKEN_CLIPS, clip);
});
