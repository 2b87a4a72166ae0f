import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, para, title, END_FEED } from './common.ts';
import { cardDate, dateTime } from './format.ts';
import { groupNik } from './mask.ts';
import type { DataCheckData } from './types.ts';

/**
 * What the chip holds, for the resident to compare with everything printed on the card (SOP
 * step 6), in the card's order and with the card's labels; the 58 mm roll gets short forms so
 * every value keeps a readable column.
 *
 * The NIK is printed in full, grouped as region, birth date and serial (340404 170885 9001).
 * Reasons: the resident must be able to compare it digit for digit, and the digits a mask would
 * hide (DDMMYY, +40 for women) are exactly the ones most often wrong; a masked NIK would let a
 * wrong birth date or sex pass the check. UU 27/2022 still applies, so this is the one slip that
 * does not leave the desk: it says so, the operator takes it back after the comparison and it is
 * destroyed with the day's waste paper (docs/operator-guide.md). Every other slip masks the NIK.
 */
export function dataCheckSlip(data: DataCheckData, columns: number): SlipDocument {
  checkColumns(columns);
  const wide = columns >= 48;
  const p = data.person;
  const f = (long: string, short: string, value: string): SlipLine => ({
    kind: 'field',
    label: wide ? long : short,
    value,
    labelWidth: wide ? 18 : 12,
  });
  return {
    kind: 'data_check',
    lines: [
      ...header(data.site),
      title('PENCOCOKAN DATA KTP-el'),
      center('Data yang tersimpan di chip'),
      { kind: 'rule' },
      { kind: 'pair', left: 'No. Antrean', right: data.queueNumber },
      { kind: 'pair', left: data.site.counter, right: dateTime(data.at, data.site.zone) },
      { kind: 'rule' },
      f('NIK', 'NIK', groupNik(p.nik)),
      f('Nama', 'Nama', p.name),
      f('Tempat/Tgl Lahir', 'Tempat/Tgl', `${p.birthPlace}, ${cardDate(p.birthDate)}`),
      f('Jenis Kelamin', 'Jenis Kel.', p.sex),
      f('Gol. Darah', 'Gol. Darah', p.bloodType),
      f('Alamat', 'Alamat', p.address),
      f('RT/RW', 'RT/RW', p.rtRw),
      f('Kel/Desa', 'Kel/Desa', p.kelDesa),
      f('Kecamatan', 'Kecamatan', p.kecamatan),
      f('Agama', 'Agama', p.religion),
      f('Status Perkawinan', 'Status Kawin', p.maritalStatus),
      f('Pekerjaan', 'Pekerjaan', p.occupation),
      f('Kewarganegaraan', 'Warga Negara', p.citizenship),
      f('Berlaku Hingga', 'Berlaku', cardDate(p.validUntil)),
      { kind: 'rule' },
      para('Cocokkan data di atas dengan tulisan pada KTP-el Anda. Bila ada yang berbeda, atau ada data Anda yang salah, beri tahu petugas sebelum sidik jari diperiksa.'),
      para('Slip ini memuat NIK lengkap. Setelah dicocokkan, kembalikan slip ini kepada petugas; jangan dibawa pulang.'),
      { kind: 'rule' },
      center('ID Transaksi'),
      center(data.txId),
      END_FEED,
    ],
  };
}
