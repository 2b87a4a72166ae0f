import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, para, signatures, title, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import { maskNik } from './mask.ts';
import type { SlipSite } from './types.ts';

export interface OldKtpHandbackData {
  readonly site: SlipSite;
  readonly at: string;
  readonly queueNumber: string;
  readonly person: { readonly name: string; readonly nik: string };
  readonly letterNo: string;
  /** Why the old KTP goes back: the counter's close (gagal, cancelled, tertunda). */
  readonly why: string;
  readonly officer: string;
}

const WHY: Record<string, string> = {
  counter_gagal: 'Hasil GAGAL di loket',
  counter_cancelled: 'Pemanggilan dibatalkan di loket',
  counter_tertunda: 'Belum dapat diverifikasi di loket',
};

/**
 * "Tanda terima pengembalian KTP lama", printed at the intake desk when the support officer hands
 * the old KTP back after a verdict given at a counter. One copy, for the desk's file: the resident
 * signs it. The ledger's `returned` is the officer's own word; the Dinas accounts for every old
 * KTP it took in (kept ones go to it by berita acara, SOP step 16), and for one that went back
 * this signature is the only proof the owner, not someone else, took it. The NIK is masked: the
 * resident checks the name and the card in hand, not the number.
 */
export function oldKtpHandbackSlip(data: OldKtpHandbackData, columns: number): SlipDocument {
  checkColumns(columns);
  const field = (label: string, value: string): SlipLine => ({ kind: 'field', label, value, labelWidth: columns >= 48 ? 12 : 9 });
  return {
    kind: 'old_ktp_handback',
    lines: [
      ...header(data.site),
      title('PENGEMBALIAN KTP LAMA'),
      center('(Lembar untuk Petugas)'),
      { kind: 'rule' },
      para('Telah dikembalikan KTP lama kepada:'),
      field('Nama', data.person.name),
      field('NIK', maskNik(data.person.nik)),
      field('No. Surat', data.letterNo),
      field('Antrean', data.queueNumber),
      field('Sebab', WHY[data.why] ?? data.why),
      field('Waktu', dateTime(data.at, data.site.zone)),
      field('Meja', data.site.counter),
      { kind: 'rule' },
      ...signatures(columns, { caption: 'Yang Menerima,', name: data.person.name }, { caption: 'Yang Menyerahkan,', name: data.officer }),
      END_FEED,
    ],
  };
}
