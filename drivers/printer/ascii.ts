/**
 * Thermal printers render one byte per glyph from the code page selected with ESC t, and which
 * pages a model carries varies (domain brief §5; node-thermal-printer #226, #70, #119). Indonesian
 * needs nothing beyond ASCII, so every slip is reduced to printable ASCII here and the driver
 * selects PC437, whose lower half is ASCII on every model. Accented foreign names lose their
 * marks; anything without a sensible ASCII form becomes '?', so the operator sees a gap instead
 * of a wrong letter.
 */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\t': ' ',
  '\u00b7': '.',
  '\u2022': '*',
};

export function toAscii(input: string): string {
  let out = '';
  for (const ch of input.normalize('NFD')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code >= 0x300 && code <= 0x36f) continue; // combining marks left over from NFD
    else out += SPECIAL[ch] ?? '?';
  }
  return out;
}
