import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { checkColumns, center, freeOfCharge, header, para, reasonText, signatures, title, transactionFooter, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import { maskNik } from './mask.ts';
import type { ReceiptData } from './types.ts';

/**
 * Tanda terima for a handed-over card, with the minimum content of domain brief §2: place,
 * counter and operator, time with zone, queue number, name, masked NIK, result, notes, both
 * signatures and the transaction id. Two copies print, one after the other: the resident keeps
 * "Lembar untuk Penerima", the support officer keeps "Lembar untuk Petugas" with the letter,
 * old KTP and queue number (SOP step 13).
 */
export function receiptSlip(data: ReceiptData, columns: number): SlipDocument {
  checkColumns(columns);
  const field = (label: string, value: string): SlipLine => ({ kind: 'field', label, value, labelWidth: columns >= 48 ? 12 : 9 });
  const notes: string[] = [];
  if (data.disputed) notes.push(`${reasonText('data_disputed')}; pembetulan data melalui pelayanan reguler.`);
  if (data.note) notes.push(data.note);
  return {
    kind: data.copy === 'penerima' ? 'receipt_resident' : 'receipt_staff',
    lines: [
      ...header(data.site),
      title('TANDA TERIMA KTP-el'),
      center(data.copy === 'penerima' ? '(Lembar untuk Penerima)' : '(Lembar untuk Petugas)'),
      { kind: 'rule' },
      para('Telah diterima KTP-el oleh:'),
      field('Nama', data.person.name),
      field('NIK', maskNik(data.person.nik)),
      field('No. Surat', data.letterNo),
      field('Antrean', data.queueNumber),
      field('Hasil', 'BERHASIL'),
      field('Waktu', dateTime(data.at, data.site.zone)),
      field('Loket', data.site.counter),
      field('Petugas', data.operator),
      ...notes.map((n) => field('Catatan', n)),
      { kind: 'rule' },
      ...signatures(columns, { caption: 'Yang Menerima,', name: data.person.name }, { caption: 'Yang Menyerahkan,', name: data.operator }),
      { kind: 'rule' },
      ...transactionFooter(data.txId),
      ...freeOfCharge(),
      END_FEED,
    ],
  };
}
