const UNITS = ['', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh', 'sebelas'];

/** A whole number in Indonesian words, as berita acara state counts ("12 (dua belas) keping"). */
export function terbilang(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('terbilang: whole numbers from 0');
  if (n === 0) return 'nol';
  const words = (x: number): string => {
    if (x < 12) return UNITS[x];
    if (x < 20) return `${UNITS[x - 10]} belas`;
    if (x < 100) return `${UNITS[Math.floor(x / 10)]} puluh ${words(x % 10)}`;
    if (x < 200) return `seratus ${words(x - 100)}`;
    if (x < 1000) return `${UNITS[Math.floor(x / 100)]} ratus ${words(x % 100)}`;
    if (x < 2000) return `seribu ${words(x - 1000)}`;
    if (x < 1_000_000) return `${words(Math.floor(x / 1000))} ribu ${words(x % 1000)}`;
    return `${words(Math.floor(x / 1_000_000))} juta ${words(x % 1_000_000)}`;
  };
  return words(n).replace(/\s+/g, ' ').trim();
}
