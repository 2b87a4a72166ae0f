import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, correctionReasonText, header, ledgerSealLines, signatures, title, END_FEED } from './common.ts';
import { dateTime, dayName } from './format.ts';
import { maskNik } from './mask.ts';
import type { DailyReportData } from './types.ts';

/**
 * End-of-day reconciliation: the card stock must balance (opening + received = handed over +
 * returned for destruction + closing), and a physical count that disagrees is printed as SELISIH
 * so the supervisor sees it on paper, not only in the journal.
 */
export function dailyReportSlip(data: DailyReportData, columns: number): SlipDocument {
  checkColumns(columns);
  const n = (left: string, value: number | string): SlipLine => ({ kind: 'pair', left, right: String(value) });
  const section = (name: string): SlipLine[] => [{ kind: 'rule' }, { kind: 'text', text: name, bold: true }];
  const c = data.cards;
  const sentOut = c.sentOut ?? 0;
  // What should be in the card store: an e-KTP at another box of the office is not missing here.
  const closingExpected = c.opening + c.received - c.handedOver - c.returnedForDestruction - sentOut;
  const stockLines: SlipLine[] = [
    n('Stok awal', c.opening),
    n('Diterima dari Dinas', c.received),
    n('Diserahkan ke penduduk', c.handedOver),
    n('Dikembalikan (pemusnahan)', c.returnedForDestruction),
    // Only in an office of several boxes: the one-box layout stays as it was.
    ...(sentOut !== 0 ? [n('Dikirim ke meja/loket lain', sentOut)] : []),
    n('Stok akhir (sistem)', closingExpected),
  ];
  if (c.closingCounted === null) {
    stockLines.push(n('Stok akhir (fisik)', 'belum dihitung'));
  } else {
    const diff = c.closingCounted - closingExpected;
    stockLines.push(n('Stok akhir (fisik)', c.closingCounted));
    stockLines.push(
      diff === 0
        ? { kind: 'text', text: 'STOK SEIMBANG', bold: true, align: 'center' }
        : { kind: 'text', text: `SELISIH ${diff > 0 ? '+' : ''}${diff} KEPING`, bold: true, align: 'center' },
    );
  }
  const o = data.oldKtp;
  return {
    kind: 'daily_report',
    lines: [
      ...header(data.site),
      title('LAPORAN HARIAN'),
      center(`${data.site.counter} - ${dayName(data.date)}`),
      n('Dicetak', dateTime(data.at, data.site.zone)),
      n('Petugas', data.operator),
      ...section('ANTREAN'),
      n('Nomor diambil', data.queue.issued),
      n('Dilayani', data.queue.served),
      n('Tidak hadir', data.queue.noShow),
      n('Dibatalkan', data.queue.cancelled),
      ...(data.queue.notServed
        ? [
            n('Tidak dilayani (tutup hari)', data.queue.notServed),
            n('  Dokumennya', data.documentsAtClose === 'kept' ? 'disimpan' : 'dikembalikan'),
          ]
        : []),
      ...section('HASIL VERIFIKASI'),
      n('Berhasil', data.results.berhasil),
      n('  disanggah, data sesuai', data.results.disputedDataCorrect),
      n('Gagal', data.results.gagal),
      n('  data tidak sesuai', data.results.dataMismatch),
      n('  KTP-el rusak', data.results.rusak),
      n('Belum dapat diverifikasi', data.results.unverified ?? 0),
      ...section('STOK KTP-el'),
      ...stockLines,
      ...section('KTP LAMA'),
      n('Diterima', o.received),
      n('Dikembalikan ke penduduk', o.returned),
      n('Diserahkan ke Dinas', o.handedToDinas),
      n('Disimpan di loket', o.received - o.returned - o.handedToDinas),
      ...(o.awaitingReturn?.length
        ? [
            n('  menunggu diambil penduduk', o.awaitingReturn.length),
            { kind: 'text', text: `  No. ${o.awaitingReturn.join(', ')}`, hang: 6 } as SlipLine,
          ]
        : []),
      ...section('UNDANGAN PERBAIKAN DATA'),
      n('Jumlah penduduk', data.correction.length),
      ...data.correction.flatMap((c, i): SlipLine[] => [
        { kind: 'text', text: `${i + 1}. ${c.name ?? '(data dihapus sesuai retensi)'}`, hang: 3 },
        { kind: 'text', text: `   NIK ${c.nik ? maskNik(c.nik) : '-'}` },
        { kind: 'text', text: `   Surat ${c.letterNo}`, hang: 9 },
        { kind: 'text', text: `   ${correctionReasonText(c.reason)}` },
      ]),
      { kind: 'rule' },
      n('Cetak ulang', data.reprints),
      ...ledgerSealLines(data.ledgerSeal),
      { kind: 'rule' },
      ...signatures(columns, { caption: 'Petugas,', name: data.operator }, { caption: 'Mengetahui,', name: 'Koordinator' }),
      END_FEED,
    ],
  };
}
