/**
 * A scripted demo day of twelve residents (every scenario once) through the simulated counter:
 * the end-of-day report separates the dispute outcomes and lists who the Dinas must invite for
 * data correction, NIK masked; old KTPs are lent only after the handover berita acara.
 */
import t from 'tap';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runDay } from '../harness/runDay.ts';

t.test('demo day', async (t) => {
  const out = t.testdir();
  mkdirSync(join(out, 'slips'), { recursive: true });
  const summary = await runDay({ residents: 12, seed: 1, out });
  t.ok(summary.reconciliation.ok, summary.reconciliation.problems.join('; '));
  t.match(summary.outcomes, { dispute_agrees: 1, dispute_differs: 1, print_mismatch: 1, card_damaged: 1 });
  // The unreadable chip is "belum dapat diverifikasi" (#16), not a rusak card for destruction.
  t.match(summary.dailyReport.results, { disanggahDataSesuai: 1, dataTidakSesuai: 1, ktpElRusak: 2, belumDapatDiverifikasi: 1 });
  t.same(summary.dailyReport.dataCorrection, { dataTidakSesuai: 1, disanggahDataSesuai: 1 });
  t.equal(summary.endOfDay.loans, 1, 'one old KTP lent by the Dinas after the handover and brought back');

  const slips = readdirSync(join(out, 'slips'));
  const daily = readFileSync(join(out, 'slips', slips.find((f) => f.endsWith('daily_report.txt'))!), 'utf8');
  t.match(daily, /disanggah, data sesuai\s+1/);
  t.match(daily, /data tidak sesuai\s+1/);
  t.match(daily, /KTP-el rusak\s+2/);
  t.match(daily, /Belum dapat diverifikasi\s+1/);
  t.match(daily, /UNDANGAN PERBAIKAN DATA[\s\S]*Jumlah penduduk\s+2/);
  t.match(daily, /NIK \d{6}\*{6}\d{4}/);
  t.notMatch(daily, /(?<!\d)\d{16}(?!\d)/, 'no full NIK on the report');

  const csv = readFileSync(join(out, 'undangan-perbaikan-data.csv'), 'utf8').trim().split('\n');
  t.equal(csv.length, 3, 'header and two residents');
  t.match(csv[1], /,\d{6}\*{6}\d{4},/);

  const receipts = slips.filter((f) => /receipt_(resident|staff)\.txt$/.test(f));
  t.equal(receipts.filter((f) => f.includes('resident')).length, receipts.filter((f) => f.includes('staff')).length, 'two copies per handover');
  t.ok(receipts.length > 0);
});
