import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { checkColumns, center, freeOfCharge, header, para, signatures, title, transactionFooter, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import { maskNik } from './mask.ts';
import type { ReceiptData } from './types.ts';

/**
 * Tanda terima for a handed-over card, with the minimum content of domain brief §2: place,
 * counter and operator, time with zone, queue number, name, masked NIK, result, notes, both
 * signatures and the transaction id. Resident and staff copies are separate prints.
 */
export function receiptSlip(data: ReceiptData, columns: number): SlipDocument {
  checkColumns(columns);
  const field = (label: string, value: string): SlipLine => ({ kind: 'field', label, value, labelWidth: columns >= 48 ? 12 : 8 });
  const queueLabel = columns >= 48 ? 'No. Antrean' : 'Antrean';
  const notes: string[] = [];
  if (data.disputed) notes.push('Data diperselisihkan, arahkan ke layanan perbaikan data.');
  if (data.note) notes.push(data.note);
  return {
    kind: 'receipt',
    lines: [
      ...header(data.site),
      title('TANDA TERIMA KTP-el'),
      center(data.copy === 'penerima' ? '(Lembar untuk Penerima)' : '(Lembar untuk Petugas)'),
      { kind: 'rule' },
      para('Telah diserahkan KTP-el kepada:'),
      field('Nama', data.person.name),
      field('NIK', maskNik(data.person.nik)),
      field(queueLabel, data.queueNumber),
      field('Hasil', 'BERHASIL'),
      field('Waktu', dateTime(data.at, data.site.zone)),
      field('Loket', data.site.counter),
      field('Petugas', data.operator),
      ...notes.map((n) => field('Catatan', n)),
      { kind: 'rule' },
      ...signatures(columns, { caption: 'Penerima,', name: data.person.name }, { caption: 'Petugas,', name: data.operator }),
      { kind: 'rule' },
      ...transactionFooter(data.txId),
      ...freeOfCharge(),
      END_FEED,
    ],
  };
}
