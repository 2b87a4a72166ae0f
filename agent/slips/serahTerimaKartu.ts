import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, para, signatures, title, END_FEED } from './common.ts';
import { longDate, time } from './format.ts';
import type { BeritaAcaraParty, SlipSite } from './types.ts';

export interface SerahTerimaKartuData {
  readonly number: string;
  readonly at: string;
  readonly site: SlipSite;
  readonly batchId: string;
  /** The Dinas's courier (hands over) and the office's officer (receives). */
  readonly pihakPertama: BeritaAcaraParty;
  readonly pihakKedua: BeritaAcaraParty;
  readonly rosterEntries: number;
  readonly received: number;
  readonly missing: ReadonlyArray<{ readonly letterNo: string; readonly cardUid: string }>;
  readonly extra: readonly string[];
}

/**
 * Berita acara of the physical delivery of e-KTPs to the office: custody of each card starts with
 * this signature. Cards are identified by summons letter number and chip UID (no NIK or name: the
 * roster has them, the paper need not). KURANG and LEBIH are printed so neither side can sign a
 * count that does not match the box.
 */
export function serahTerimaKartuSlip(d: SerahTerimaKartuData, columns: number): SlipDocument {
  checkColumns(columns);
  const hang = (text: string, by: number): SlipLine => ({ kind: 'text', text, hang: by });
  const party = (n: number, p: BeritaAcaraParty, role: string): SlipLine[] => [
    hang(`${n}. Nama    : ${p.name}`, 13),
    ...(p.nip ? [hang(`   NIP     : ${p.nip}`, 10)] : []),
    hang(`   Jabatan : ${p.position}`, 10),
    hang(`   selanjutnya disebut ${role}.`, 0),
  ];
  const n = (left: string, value: number | string): SlipLine => ({ kind: 'pair', left, right: String(value) });
  const balanced = d.missing.length === 0 && d.extra.length === 0;
  return {
    kind: 'serah_terima_kartu',
    lines: [
      ...header(d.site),
      title('BERITA ACARA'),
      title('SERAH TERIMA KTP-el DARI DINAS'),
      center(`Nomor: ${d.number}`),
      { kind: 'rule' },
      para(`Pada hari ini ${longDate(d.at, d.site.zone)} pukul ${time(d.at, d.site.zone)}, bertempat di ${d.site.site}, yang bertanda tangan di bawah ini:`),
      ...party(1, d.pihakPertama, 'PIHAK PERTAMA'),
      ...party(2, d.pihakKedua, 'PIHAK KEDUA'),
      { kind: 'feed', lines: 1 },
      para(`PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA KTP-el kiriman ${d.batchId} untuk diserahkan kepada penduduk, dengan hasil pemeriksaan fisik:`),
      { kind: 'rule' },
      n('Menurut daftar kiriman', `${d.rosterEntries} keping`),
      n('Diterima (sesuai daftar)', `${d.received} keping`),
      n('Kurang (tidak ada fisik)', `${d.missing.length} keping`),
      n('Lebih (tidak ada di daftar)', `${d.extra.length} keping`),
      ...(d.missing.length > 0
        ? [{ kind: 'text', text: 'KURANG:', bold: true } as SlipLine, ...d.missing.map((m, i) => hang(`${i + 1}. Surat ${m.letterNo} UID ${m.cardUid}`, 3))]
        : []),
      ...(d.extra.length > 0
        ? [{ kind: 'text', text: 'LEBIH (dibawa kembali PIHAK PERTAMA):', bold: true } as SlipLine, ...d.extra.map((u, i) => hang(`${i + 1}. UID ${u}`, 3))]
        : []),
      { kind: 'rule' },
      balanced
        ? { kind: 'text', text: 'JUMLAH SESUAI DAFTAR', bold: true, align: 'center' }
        : { kind: 'text', text: 'JUMLAH TIDAK SESUAI DAFTAR', bold: true, align: 'center' },
      { kind: 'rule' },
      para('Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.'),
      { kind: 'feed', lines: 1 },
      ...signatures(
        columns,
        { caption: 'PIHAK PERTAMA,', name: d.pihakPertama.name, sub: d.pihakPertama.nip && `NIP ${d.pihakPertama.nip}` },
        { caption: 'PIHAK KEDUA,', name: d.pihakKedua.name, sub: d.pihakKedua.nip && `NIP ${d.pihakKedua.nip}` },
      ),
      END_FEED,
    ],
  };
}
