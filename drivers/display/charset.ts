import { toAscii } from '../printer/ascii.ts';

/**
 * HD44780 controllers with the common A00 (Japanese) character ROM draw ASCII 0x20-0x7D as
 * ASCII, except two codes: 0x5C is a yen sign and 0x7E/0x7F are arrows. Bahasa Indonesia needs
 * nothing beyond plain Latin letters, so text goes through the printer's ASCII reduction
 * (accents dropped, ß→ss, Ł→L…) and the two misdrawn characters are replaced by look-alikes the
 * ROM does have. The A02 ROM would draw more, but the A00 part is what cheap 20x4 modules carry,
 * and plain ASCII reads the same on both.
 */
const A00_SUBSTITUTES: Readonly<Record<string, string>> = { '\\': '/', '~': '-' };

/** Text as A00 ROM codes (one char = one glyph byte), every char in 0x20-0x7D. */
export function toA00(text: string): string {
  let out = '';
  for (const ch of toAscii(text)) out += A00_SUBSTITUTES[ch] ?? ch;
  return out;
}

/**
 * Word-wraps `text` into lines of at most `columns` characters. A word longer than a line is
 * cut across lines rather than dropped, so a long name is still recognisable.
 */
export function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    while (w.length > columns) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, columns));
      w = w.slice(columns);
    }
    if (w === '') continue;
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= columns) line += ' ' + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One screen row: A00 text cut or space-padded to exactly `columns`. */
export function fitRow(text: string, columns: number): string {
  return toA00(text).slice(0, columns).padEnd(columns, ' ');
}
