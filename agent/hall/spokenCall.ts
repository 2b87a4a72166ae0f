import { terbilang } from '../reports/terbilang.ts';

/**
 * What the hall display says for one call, as a list of clip names. Pure (no DOM, no Node): the
 * browser page and the clip renderer both import it, so the page can only ask for clips that the
 * renderer made.
 *
 * "A-012" at "LOKET 2" → chime, "nomor antrean", "a", "dua", "belas", "silakan ke loket", "dua".
 * Numbers are read the Indonesian way: 12 "dua belas", 123 "seratus dua puluh tiga", 1000 "seribu".
 */

const DIGITS = ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'] as const;

/** Indonesian letter names (ejaan): how a caller reads the queue prefix aloud. */
const LETTERS: Readonly<Record<string, string>> = {
  A: 'a', B: 'be', C: 'ce', D: 'de', E: 'e', F: 'ef', G: 'ge', H: 'ha', I: 'i', J: 'je', K: 'ka', L: 'el', M: 'em',
  N: 'en', O: 'o', P: 'pe', Q: 'ki', R: 'er', S: 'es', T: 'te', U: 'u', V: 've', W: 'we', X: 'eks', Y: 'ye', Z: 'zet',
};

export const CHIME = 'chime';
export const PHRASE_NUMBER = 'nomor-antrean';
export const PHRASE_GO_TO = 'silakan-ke-loket';

/** Largest number read as words; queue numbers restart every day, so 4 digits are plenty. */
export const MAX_SPOKEN = 9999;

/**
 * Every spoken clip: file name (without .wav) → the text espeak-ng reads for it. The chime is
 * synthesized separately (chime.ts). Word clips are the words numberWords() returns, verbatim.
 */
export const SPOKEN_CLIPS: Readonly<Record<string, string>> = {
  [PHRASE_NUMBER]: 'nomor antrean',
  [PHRASE_GO_TO]: 'silakan ke loket',
  ...Object.fromEntries(DIGITS.map((w) => [w, w])),
  sepuluh: 'sepuluh',
  sebelas: 'sebelas',
  belas: 'belas',
  puluh: 'puluh',
  seratus: 'seratus',
  ratus: 'ratus',
  seribu: 'seribu',
  ribu: 'ribu',
  ...Object.fromEntries(Object.entries(LETTERS).map(([ch, name]) => [letterClip(ch), name])),
};

export function letterClip(ch: string): string {
  return `huruf-${ch.toLowerCase()}`;
}

/**
 * 0..9999 as Indonesian number words, one clip per word: the berita acara's own `terbilang`
 * (pure, so the page bundles it too), split into words.
 */
export function numberWords(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPOKEN) throw new RangeError(`cannot read ${n} aloud (0..${MAX_SPOKEN})`);
  return terbilang(n).split(' ');
}

export interface ParsedQueueNumber {
  readonly letters: string;
  readonly number: number;
}

/** "A-012" → {letters "A", number 12}; null for anything the board cannot read aloud. */
export function parseQueueNumber(queueNumber: string): ParsedQueueNumber | null {
  const m = /^([A-Za-z]{0,3})-?(\d{1,4})$/.exec(queueNumber.trim());
  if (!m) return null;
  return { letters: m[1].toUpperCase(), number: Number(m[2]) };
}

/** "LOKET 10" → 10; null when the label ends in no number (the call then names no loket number). */
export function counterNumber(label: string): number | null {
  const m = /(\d{1,4})\s*$/.exec(label);
  return m ? Number(m[1]) : null;
}

/**
 * The clips of one call, in play order. A queue number that cannot be read aloud is spelled
 * character by character rather than skipped: the resident still hears where to go.
 */
export function callClips(queueNumber: string, counterLabel: string): string[] {
  const parsed = parseQueueNumber(queueNumber);
  const number = parsed
    ? [...[...parsed.letters].map(letterClip), ...numberWords(parsed.number)]
    : [...queueNumber.toUpperCase()].flatMap((ch) => (/[0-9]/.test(ch) ? [DIGITS[Number(ch)]] : LETTERS[ch] ? [letterClip(ch)] : []));
  const loket = counterNumber(counterLabel);
  return [CHIME, PHRASE_NUMBER, ...number, PHRASE_GO_TO, ...(loket === null ? [] : numberWords(loket))];
}

/** Every clip file the page may play (the chime and each spoken word). */
export const ALL_CLIP_NAMES: readonly string[] = [CHIME, ...Object.keys(SPOKEN_CLIPS)];
