import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, para, title, END_FEED } from './common.ts';
import { cardDate, dateTime } from './format.ts';
import { maskNik } from './mask.ts';
import type { DataCheckData } from './types.ts';

/**
 * What the chip holds, for the resident to compare with the printed card before the fingerprint
 * check (procedure step 2). Labels follow the card; the 32-column roll gets short forms so every
 * value keeps a readable column.
 */
export function dataCheckSlip(data: DataCheckData, columns: number): SlipDocument {
  checkColumns(columns);
  const wide = columns >= 48;
  const p = data.person;
  const f = (long: string, short: string, value: string): SlipLine => ({
    kind: 'field',
    label: wide ? long : short,
    value,
    labelWidth: wide ? 18 : 11,
  });
  return {
    kind: 'data_check',
    lines: [
      ...header(data.site),
      title('CEK DATA KTP-el'),
      center('Data di dalam chip KTP-el'),
      { kind: 'rule' },
      { kind: 'pair', left: 'No. Antrean', right: data.queueNumber },
      { kind: 'pair', left: data.site.counter, right: dateTime(data.at, data.site.zone) },
      { kind: 'rule' },
      f('NIK', 'NIK', maskNik(p.nik)),
      f('Nama', 'Nama', p.name),
      f('Tempat/Tgl Lahir', 'TTL', `${p.birthPlace}, ${cardDate(p.birthDate)}`),
      f('Jenis Kelamin', 'Jenis Kel.', p.sex),
      f('Alamat', 'Alamat', p.address),
      f('RT/RW', 'RT/RW', p.rtRw),
      f('Kel/Desa', 'Kel/Desa', p.kelDesa),
      f('Kecamatan', 'Kecamatan', p.kecamatan),
      f('Agama', 'Agama', p.religion),
      f('Status Perkawinan', 'Status Kwn', p.maritalStatus),
      f('Pekerjaan', 'Pekerjaan', p.occupation),
      f('Kewarganegaraan', 'Kewarganeg', p.citizenship),
      f('Berlaku Hingga', 'Berlaku', cardDate(p.validUntil)),
      { kind: 'rule' },
      para('Cocokkan data di atas dengan tulisan pada kartu. Jika ada yang berbeda, sampaikan kepada petugas SEBELUM verifikasi sidik jari.'),
      { kind: 'rule' },
      center('ID Transaksi'),
      center(data.txId),
      END_FEED,
    ],
  };
}
