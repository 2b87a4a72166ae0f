import { parseArgs } from 'node:util';
import { renderText } from '../../drivers/printer/layout.ts';
import { closeDay, type DocumentsAtClose } from '../ledger/dayClose.ts';
import { reprintsQueued } from '../printing/printQueue.ts';
import { dailyReportData } from '../reports/dailyReportData.ts';
import { laporanHarian } from '../reports/laporanHarian.ts';
import { dailyReportSlip } from '../slips/index.ts';
import { openLeases } from '../office/leases.ts';
import { openLedger, tool } from './openLedger.ts';
import { writeLaporanHarian } from './report.ts';

const USAGE = 'usage: ektp-agent close-day --counted N [--documents returned|kept] [--config FILE] [--out DIR]';

/**
 * `ektp-agent close-day --counted N`: the end of the service day from the shell or a kiosk
 * script. Tickets still waiting close as not served (documents returned, or kept with
 * `--documents kept` / `dayClose.documents`) and are listed; N is the officer's physical count of
 * e-KTPs on hand. Prints the daily report as it appears on paper, SELISIH included when the count
 * differs, and with --out writes it as JSON and CSV. Exit status 1 when the count differs, and
 * when the day cannot close yet (a resident being served; at the desk, a ticket leased to a counter);
 * 3 (LEDGER_TAMPERED) on a ledger that no longer verifies, with nothing recorded.
 */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, counted: { type: 'string' }, documents: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 0 || values.counted === undefined || !/^\d{1,6}$/.test(values.counted)) {
    console.error(USAGE);
    return 2;
  }
  if (values.documents !== undefined && values.documents !== 'returned' && values.documents !== 'kept') {
    console.error(`--documents must be returned or kept\n${USAGE}`);
    return 2;
  }
  return tool(() => {
    const { config, ledger, db, close } = openLedger(values.config, 'write');
    try {
      const result = closeDay(ledger, {
        counted: Number(values.counted),
        documents: (values.documents as DocumentsAtClose | undefined) ?? config.dayClose.documents,
        operator: config.counter.operatorId,
        // The intake desk keeps the office queue: the tickets its counters are serving stay open.
        leased: config.office?.authority === config.counter.id ? () => openLeases(db) : undefined,
      });
      console.log(`Hari pelayanan ${result.day} ditutup.`);
      const docs = result.documents === 'returned' ? 'dokumen dikembalikan ke penduduk' : 'dokumen disimpan petugas';
      console.log(
        result.tickets.length === 0
          ? 'Tidak ada nomor antrean yang menunggu.'
          : `Nomor antrean tidak dilayani (${docs}): ${result.tickets.join(', ')}`,
      );
      if (result.oldKtpsAwaitingReturn.length > 0) {
        const kept = result.documents === 'returned' ? 'dicatat dikembalikan ke penduduk' : 'dicatat disimpan petugas';
        console.log(`KTP lama yang belum diambil kembali (${kept}): ${result.oldKtpsAwaitingReturn.join(', ')}`);
      }
      console.log('');
      const slip = dailyReportSlip(dailyReportData(ledger, config, reprintsQueued(db)), config.devices.printer.columns);
      for (const line of renderText(slip, config.devices.printer.columns)) console.log(line);
      if (values.out) {
        const base = writeLaporanHarian(values.out, laporanHarian(ledger, config, result.day));
        console.log(`\nwrote ${base}.json and ${base}.csv`);
      }
      return result.difference === 0 ? 0 : 1;
    } finally {
      close();
    }
  });
}
