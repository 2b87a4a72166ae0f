import type { CheckResult, CheckStatus } from './types.ts';

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'LULUS', warn: 'PERINGATAN', fail: 'GAGAL' };

/**
 * The table the counter staff read (or read out over the phone): code, verdict, what to do. Rows
 * keep the check order, so the first GAGAL is the first thing to fix.
 */
export function formatTable(results: readonly CheckResult[], opts: { details?: boolean } = {}): string {
  const codeWidth = Math.max(4, ...results.map((r) => r.code.length));
  const statusWidth = Math.max(...Object.values(STATUS_WORD).map((w) => w.length));
  const row = (a: string, b: string, c: string) => `${a.padEnd(codeWidth)}  ${b.padEnd(statusWidth)}  ${c}`.trimEnd();
  const lines = [row('KODE', 'STATUS', 'KETERANGAN'), row('-'.repeat(codeWidth), '-'.repeat(statusWidth), '-'.repeat(10))];
  for (const r of results) {
    lines.push(row(r.code, STATUS_WORD[r.status], r.message));
    if (r.expected) lines.push(`${' '.repeat(codeWidth + statusWidth + 4)}Perangkat acuan: ${r.expected}`);
    if (opts.details && r.detail) lines.push(`${' '.repeat(codeWidth + statusWidth + 4)}(${r.detail})`);
  }
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  lines.push('');
  lines.push(`Hasil: ${count('pass')} lulus, ${count('warn')} peringatan, ${count('fail')} gagal.`);
  lines.push(
    count('fail') === 0
      ? 'Kotak siap melayani.'
      : 'Ada masalah. Perbaiki baris GAGAL dari atas ke bawah, lalu periksa lagi: sudo ektp-agent doctor',
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(results: readonly CheckResult[]): string {
  const ok = !results.some((r) => r.status === 'fail');
  return `${JSON.stringify({ ok, results }, null, 2)}\n`;
}
