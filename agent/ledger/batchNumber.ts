/**
 * Berita acara numbers in the Dinas's own style. Offices number outgoing letters with their
 * classification code, a running number, a unit code and the month in Roman numerals
 * ("470/017/BA-KTPel/XI/2026"); the style differs per Dinas, so it is a format with tokens:
 *
 *   {kode}        the batch kind's code (BA-PMS-KTPEL, BA-STK-KTPL, BA-PMS-KTPL)
 *   {urut}        running number, 3 digits (001); per kind when {kode} is in the format,
 *                 else across all kinds, so two kinds can never get the same number
 *   {tahun}       4-digit year        {bulan}  2-digit month      {hari}  2-digit day
 *   {bulanRomawi} month as I..XII     {tanggal} YYYYMMDD
 *
 * The default keeps the numbers this appliance always printed: {kode}/{tanggal}/{urut}.
 */
export const DEFAULT_NUMBER_FORMAT = '{kode}/{tanggal}/{urut}';

const TOKENS = ['kode', 'urut', 'tahun', 'bulan', 'hari', 'bulanRomawi', 'tanggal'] as const;
type Token = (typeof TOKENS)[number];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** Problems with a format, as messages (empty when it is usable). */
export function numberFormatProblems(format: unknown): string[] {
  if (typeof format !== 'string' || format.trim() === '') return ['must be a text such as "470/{urut}/{kode}/{bulanRomawi}/{tahun}"'];
  const problems: string[] = [];
  for (const m of format.matchAll(/\{([^}]*)\}/g)) {
    if (!(TOKENS as readonly string[]).includes(m[1])) problems.push(`unknown token {${m[1]}} (known: ${TOKENS.map((t) => `{${t}}`).join(' ')})`);
  }
  if (!format.includes('{urut}')) problems.push('must contain {urut}, or two berita acara would get the same number');
  if (/[{}]/.test(format.replace(/\{[^{}]*\}/g, ''))) problems.push('has an unmatched { or }');
  return problems;
}

/** Whether the running number counts per batch kind ({kode} in the format) or across all kinds. */
export function numbersPerKind(format: string): boolean {
  return format.includes('{kode}');
}

/** `date` is the site's local day, YYYY-MM-DD. */
export function formatBatchNumber(format: string, facts: { kode: string; seq: number; date: string }): string {
  const [year, month, day] = facts.date.split('-');
  const values: Record<Token, string> = {
    kode: facts.kode,
    urut: String(facts.seq).padStart(3, '0'),
    tahun: year,
    bulan: month,
    hari: day,
    bulanRomawi: ROMAN[Number(month) - 1],
    tanggal: `${year}${month}${day}`,
  };
  return format.replace(/\{([^}]*)\}/g, (_, token: string) => values[token as Token]);
}
