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
  return {
    kind: 'old_ktp_handback',
    lines: [
      ...header(data.site),
      title('PENGEMBALIAN KTP LAMA'),
      center('(Lembar untuk Petugas)'),
      { kind: 'rule' },
      para('Telah dikembalikan KTP lama kepada:'),
      ...residentFields(data, columns),
      { kind: 'rule' },
      ...signatures(columns, { caption: 'Yang Menerima,', name: data.person.name }, { caption: 'Yang Menyerahkan,', name: data.officer }),
      END_FEED,
    ],
  };
}

export interface OldKtpHandbackHeldData extends OldKtpHandbackData {
  /** Why the desk may not record the handback: the ledger's refusal (LEDGER_TAMPERED, LEDGER_UNREADABLE). */
  readonly code: string;
  readonly copy: 'penduduk' | 'petugas';
}

/**
 * "Pengembalian KTP lama ditunda": the old KTP is owed back, but the desk's ledger no longer
 * verifies, and recording the handback would write the custody event that makes an edited item
 * state look legitimate. Nothing is recorded; two copies print instead. The resident's says the
 * office still holds the KTP; the staff copy goes to the Dinas with the incident and is the
 * written record if the Dinas lets the KTP go back before the ledger is examined (the resident
 * signs it then). The NIK is masked, as on the handback slip.
 */
export function oldKtpHandbackHeldSlip(data: OldKtpHandbackHeldData, columns: number): SlipDocument {
  checkColumns(columns);
  const penduduk = data.copy === 'penduduk';
  return {
    kind: 'old_ktp_handback_held',
    lines: [
      ...header(data.site),
      title('PENGEMBALIAN KTP LAMA DITUNDA'),
      center(penduduk ? '(Lembar untuk Penduduk)' : '(Lembar untuk Petugas)'),
      { kind: 'rule' },
      para(
        `KTP lama milik penduduk di bawah ini masih disimpan petugas. Pengembaliannya belum dapat dicatat: buku besar kotak ini ${data.code === 'LEDGER_UNREADABLE' ? 'rusak' : 'diubah di luar aplikasi'} dan tidak boleh ditambah sebelum diperiksa Dinas.`,
      ),
      ...residentFields(data, columns),
      fieldLine('Kode', data.code, columns),
      { kind: 'rule' },
      para(
        penduduk
          ? 'KTP lama Anda aman di meja pendaftaran sampai Dinas memutuskan. Simpan lembar ini dan tunjukkan saat mengambilnya.'
          : 'Hubungi Dinas. Bila Dinas mengizinkan KTP lama diserahkan sebelum buku besar diperiksa, penduduk menandatangani lembar ini; simpan bersama laporan kejadian.',
      ),
      ...signatures(columns, { caption: 'Yang Menerima,', name: data.person.name }, { caption: 'Petugas,', name: data.officer }),
      END_FEED,
    ],
  };
}

/** Whose old KTP and why, the same on the handback slip and on both "ditunda" copies. */
function residentFields(data: OldKtpHandbackData, columns: number): SlipLine[] {
  return [
    fieldLine('Nama', data.person.name, columns),
    fieldLine('NIK', maskNik(data.person.nik), columns),
    fieldLine('No. Surat', data.letterNo, columns),
    fieldLine('Antrean', data.queueNumber, columns),
    fieldLine('Sebab', WHY[data.why] ?? data.why, columns),
    fieldLine('Waktu', dateTime(data.at, data.site.zone), columns),
    fieldLine('Meja', data.site.counter, columns),
  ];
}

function fieldLine(label: string, value: string, columns: number): SlipLine {
  return { kind: 'field', label, value, labelWidth: columns >= 48 ? 12 : 9 };
}
