import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, nextStepText, para, reasonText, title, transactionFooter, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import { maskNik } from './mask.ts';
import type { ResultSlipData } from './types.ts';

/**
 * The BERHASIL/GAGAL slip stapled to the summons letter it names (SOP step 8: the result is
 * written behind the resident's name). It is read by the resident (on GAGAL it goes home with the
 * letter), so every sentence is addressed to the resident: why, and what to do next. A dispute
 * on a card that matches the dokumen pengesahan is still BERHASIL (step 10).
 */
export function resultSlip(data: ResultSlipData, columns: number): SlipDocument {
  checkColumns(columns);
  const ok = data.result === 'berhasil';
  const field = (label: string, value: string): SlipLine => ({ kind: 'field', label, value, labelWidth: columns >= 48 ? 12 : 9 });
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
      para('KTP lama dan surat panggilan dikembalikan kepada Anda.'),
    );
  }
  // The next-step texts follow a verdict (a replacement card, a data correction); an unverified
  // resident's card is kept, not destroyed, so they do not apply.
  const next = data.reason && !unverified ? nextStepText(data.reason) : null;
  if (ok && data.disputed) outcome.push({ kind: 'rule' });
  if (next && (!ok || data.disputed)) outcome.push(para(next));
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
      field('No. Surat', data.letterNo),
      field('Antrean', data.queueNumber),
      field('Waktu', dateTime(data.at, data.site.zone)),
      field('Loket', data.site.counter),
      field('Petugas', data.operator),
      ...outcome,
      { kind: 'rule' },
      center('Dilampirkan pada surat panggilan'),
      center(`nomor ${data.letterNo}`),
      ...transactionFooter(data.txId),
      END_FEED,
    ],
  };
}
