import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, para, reasonText, title, transactionFooter, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import { maskNik } from './mask.ts';
import type { ResultSlipData } from './types.ts';

/**
 * The BERHASIL/GAGAL slip that goes with the summons letter (procedure step 4: the result is noted
 * behind the resident's name). A failure tells the resident what happens next; a dispute on a
 * matching card is still BERHASIL and points to the correction service (step 5).
 */
export function resultSlip(data: ResultSlipData, columns: number): SlipDocument {
  checkColumns(columns);
  const ok = data.result === 'berhasil';
  const field = (label: string, value: string): SlipLine => ({ kind: 'field', label, value, labelWidth: columns >= 48 ? 12 : 8 });
  const queueLabel = columns >= 48 ? 'No. Antrean' : 'Antrean';
  const outcome: SlipLine[] = [];
  const unverified = data.result === 'tertunda';
  if (unverified) {
    outcome.push(
      { kind: 'rule' },
      field('Sebab', data.reason ? reasonText(data.reason) : 'Gangguan perangkat'),
      para('Ini BUKAN penolakan. Verifikasi belum dapat dilakukan karena gangguan perangkat atau data chip.'),
      para('KTP-el tetap disimpan di kantor. Silakan datang kembali sesuai arahan petugas.'),
      para(
        data.documents === 'hold'
          ? 'KTP lama dan surat panggilan disimpan petugas sampai kunjungan berikutnya.'
          : 'KTP lama dan surat panggilan dikembalikan kepada Anda; bawa kembali saat datang lagi.',
      ),
    );
  } else if (!ok) {
    outcome.push(
      { kind: 'rule' },
      field('Alasan', data.reason ? reasonText(data.reason) : 'Tidak disebutkan'),
      para('Silakan perbaiki data di tempat atau lakukan perekaman ulang sesuai arahan petugas.'),
      para('KTP lama dan surat panggilan dikembalikan kepada Anda. KTP-el disimpan petugas.'),
    );
  }
  if (data.disputed) {
    outcome.push({ kind: 'rule' }, para('Catatan: data diperselisihkan. Arahkan ke layanan perbaikan data.'));
  }
  return {
    kind: 'result',
    lines: [
      ...header(data.site),
      title('HASIL VERIFIKASI KTP-el'),
      { kind: 'feed', lines: 1 },
      ...(unverified ? [title('BELUM DAPAT', 2), title('DIVERIFIKASI', 2)] : [title(ok ? 'BERHASIL' : 'GAGAL', 2)]),
      { kind: 'feed', lines: 1 },
      { kind: 'rule' },
      field('Nama', data.person.name),
      field('NIK', maskNik(data.person.nik)),
      field(queueLabel, data.queueNumber),
      field('Waktu', dateTime(data.at, data.site.zone)),
      field('Loket', data.site.counter),
      field('Petugas', data.operator),
      ...outcome,
      { kind: 'rule' },
      center('Lampirkan pada surat panggilan'),
      ...transactionFooter(data.txId),
      END_FEED,
    ],
  };
}
