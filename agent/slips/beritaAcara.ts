import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, ledgerSealLines, para, signatures, title, END_FEED } from './common.ts';
import { longDate, time } from './format.ts';
import { maskNik } from './mask.ts';
import type { BeritaAcaraData, BeritaAcaraParty } from './types.ts';

const PURPOSE: Record<BeritaAcaraData['type'], { title: string; statement: string }> = {
  pemusnahan: {
    title: 'PENYERAHAN KTP-el UNTUK DIMUSNAHKAN',
    statement:
      'PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA KTP-el yang rusak atau tidak dapat diserahkan kepada pemiliknya, untuk dimusnahkan sesuai SE Mendagri 470.13/11176/SJ, dengan rincian:',
  },
  ktp_lama: {
    title: 'SERAH TERIMA KTP LAMA',
    statement:
      'PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA KTP lama yang diterima dari penduduk saat pengambilan KTP-el, dengan rincian:',
  },
};

/** Berita acara (domain brief §2): number, date, both parties, the list of cards, count, signatures. */
export function beritaAcaraSlip(data: BeritaAcaraData, columns: number): SlipDocument {
  checkColumns(columns);
  const purpose = PURPOSE[data.type];
  const hang = (text: string, by: number): SlipLine => ({ kind: 'text', text, hang: by });
  const party = (n: number, p: BeritaAcaraParty, role: string): SlipLine[] => [
    hang(`${n}. Nama    : ${p.name}`, 13),
    ...(p.nip ? [hang(`   NIP     : ${p.nip}`, 10)] : []),
    hang(`   Jabatan : ${p.position}`, 10),
    hang(`   selanjutnya disebut ${role}.`, 0),
  ];
  const items: SlipLine[] = data.items.flatMap((item, i) => [
    hang(`${i + 1}. ${item.name}`, 3),
    para(`   NIK ${maskNik(item.nik)}`),
    hang(`   Alasan: ${item.reason}`, 8),
  ]);
  return {
    kind: 'berita_acara',
    lines: [
      ...header(data.site),
      title('BERITA ACARA'),
      title(purpose.title),
      center(`Nomor: ${data.number}`),
      { kind: 'rule' },
      para(
        `Pada hari ini ${longDate(data.at, data.site.zone)} pukul ${time(data.at, data.site.zone)}, bertempat di ${data.site.site}, yang bertanda tangan di bawah ini:`,
      ),
      ...party(1, data.pihakPertama, 'PIHAK PERTAMA'),
      ...party(2, data.pihakKedua, 'PIHAK KEDUA'),
      { kind: 'feed', lines: 1 },
      para(purpose.statement),
      { kind: 'rule' },
      ...(items.length > 0 ? items : [para('(tidak ada)')]),
      { kind: 'rule' },
      { kind: 'pair', left: 'Jumlah', right: `${data.items.length} keping` },
      { kind: 'rule' },
      para('Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.'),
      ...ledgerSealLines(data.ledgerSeal),
      { kind: 'feed', lines: 1 },
      ...signatures(
        columns,
        { caption: 'PIHAK PERTAMA,', name: data.pihakPertama.name, sub: data.pihakPertama.nip && `NIP ${data.pihakPertama.nip}` },
        { caption: 'PIHAK KEDUA,', name: data.pihakKedua.name, sub: data.pihakKedua.nip && `NIP ${data.pihakKedua.nip}` },
      ),
      END_FEED,
    ],
  };
}
