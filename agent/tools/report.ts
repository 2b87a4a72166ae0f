import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { leaseLabels } from '../ledger/dayClose.ts';
import { openLeasesReadOnly } from '../office/leases.ts';
import { laporanHarian, laporanHarianCsv, type LaporanHarian } from '../reports/laporanHarian.ts';
import { correctionCsv } from '../reports/reconciliationReport.ts';
import { openLedger, tool } from './openLedger.ts';

/** Writes laporan-harian-DATE.json and .csv into `dir`; returns the base path. */
export function writeLaporanHarian(dir: string, l: LaporanHarian): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `laporan-harian-${l.tanggal}`);
  writeFileSync(`${base}.json`, JSON.stringify(l, null, 2) + '\n');
  writeFileSync(`${base}.csv`, laporanHarianCsv(l));
  return base;
}

/** `ektp-agent report daily [--config FILE] [--date YYYY-MM-DD] [--out DIR]`: the daily report as JSON and CSV (Bahasa Indonesia labels). */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'office') return (await import('./officeReport.ts')).main(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'daily') {
    console.error('usage: ektp-agent report daily [--config FILE] [--date YYYY-MM-DD] [--out DIR]');
    return 2;
  }
  return tool(() => {
    const { config, ledger, db, close } = openLedger(values.config, 'read');
    try {
      // At the intake desk, today: the tickets its counters are serving now, their e-KTPs on the counters' tables.
      const today = ledger.day();
      const day = values.date ?? today;
      const atCounters = config.office?.authority === config.counter.id && day === today ? leaseLabels(openLeasesReadOnly(db), today) : [];
      const report = laporanHarian(ledger, config, day, atCounters);
      if (!values.out) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        const base = writeLaporanHarian(values.out, report);
        // The residents the Dinas must invite for data correction (SOP step 17), NIK masked.
        const invitations = join(values.out, `undangan-perbaikan-data-${report.tanggal}.csv`);
        writeFileSync(invitations, correctionCsv(ledger, config, report.tanggal));
        const n = report.undanganPerbaikanData.dataTidakSesuai + report.undanganPerbaikanData.disanggahDataSesuai;
        console.log(`wrote ${base}.json, ${base}.csv and ${invitations} (${n} resident(s) for data correction); reconciliation ${report.rekonsiliasi.seimbang ? 'balances' : 'DOES NOT balance'}`);
      }
      return report.rekonsiliasi.seimbang ? 0 : 1;
    } finally {
      close();
    }
  });
}
