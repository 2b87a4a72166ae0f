import type { SlipLine } from '../../drivers/printer/types.ts';
import type { ReasonCode } from '../events.ts';
import type { SlipSite } from './types.ts';

export const FREE_OF_CHARGE = 'Layanan ini tidak dipungut biaya';

export function checkColumns(columns: number): void {
  if (columns !== 32 && columns !== 48) throw new RangeError(`slip columns must be 32 or 48, got ${columns}`);
}

export function header(site: SlipSite): SlipLine[] {
  return [
    { kind: 'text', text: site.office, align: 'center', bold: true },
    { kind: 'text', text: site.region, align: 'center', bold: true },
    { kind: 'text', text: site.site, align: 'center' },
    { kind: 'rule', char: '=' },
  ];
}

export function title(text: string, size: 1 | 2 | 3 = 1): SlipLine {
  return { kind: 'text', text, align: 'center', bold: true, size };
}

export function center(text: string, bold = false): SlipLine {
  return { kind: 'text', text, align: 'center', bold };
}

export function para(text: string): SlipLine {
  return { kind: 'text', text };
}

/**
 * Signature blocks: caption, room to sign, then the name in brackets. Side by side when every
 * text fits half the paper, else one under the other, so a long name or an 18-digit NIP is never
 * cut off.
 */
export interface Signer {
  readonly caption: string;
  readonly name: string;
  readonly sub?: string;
}

export function signatures(columns: number, left: Signer, right: Signer): SlipLine[] {
  const half = Math.floor(columns / 2);
  const texts = [left, right].flatMap((s) => [s.caption, s.name, s.sub ?? '']);
  if (texts.some((t) => t.length > half - 1)) {
    return [left, right].flatMap((s, i): SlipLine[] => [
      ...(i > 0 ? [{ kind: 'feed', lines: 1 } as const] : []),
      center(s.caption),
      { kind: 'feed', lines: 3 },
      center('(' + '.'.repeat(half + 4) + ')'),
      center(s.name),
      ...(s.sub ? [center(s.sub)] : []),
    ]);
  }
  const cell = (s: string) => (' '.repeat(Math.floor((half - s.length) / 2)) + s).padEnd(half);
  const row = (a: string, b: string): SlipLine => ({ kind: 'text', text: (cell(a) + cell(b)).trimEnd() });
  const dots = '(' + '.'.repeat(half - 4) + ')';
  const rows: SlipLine[] = [row(left.caption, right.caption), { kind: 'feed', lines: 3 }, row(dots, dots), row(left.name, right.name)];
  if (left.sub || right.sub) rows.push(row(left.sub ?? '', right.sub ?? ''));
  return rows;
}

export function transactionFooter(txId: string): SlipLine[] {
  return [{ kind: 'qr', data: txId }, center('ID Transaksi'), center(txId)];
}

export function freeOfCharge(): SlipLine[] {
  return [{ kind: 'rule' }, center(FREE_OF_CHARGE, true), center('(UU 24/2013 Pasal 79A)')];
}

export const END_FEED: SlipLine = { kind: 'feed', lines: 1 };

/** The reason as the resident reads it on the verdict slip (short, behind "Alasan"). */
const REASONS: Readonly<Record<ReasonCode, string>> = {
  fp_no_match: 'Sidik jari tidak cocok dengan data di chip',
  fp_quality: 'Sidik jari tidak dapat diverifikasi',
  card_unreadable: 'Chip KTP-el tidak dapat dibaca',
  sig_invalid: 'Tanda tangan elektronik data chip tidak sah',
  data_disputed: 'Data disanggah; data sesuai dokumen pengesahan',
  data_mismatch: 'Data KTP-el tidak sesuai dengan dokumen pengesahan',
  print_mismatch: 'Tulisan pada kartu tidak sesuai dengan data chip',
  card_damaged: 'KTP-el rusak',
  not_on_roster: 'Tidak ada dalam daftar pengambilan',
  already_issued: 'KTP-el sudah pernah diserahkan',
  operator_abort: 'Dibatalkan oleh petugas',
  no_show: 'Penduduk tidak hadir saat dipanggil',
  interrupted: 'Layanan terputus',
  device_fault: 'Gangguan perangkat',
  no_usable_template: 'Data sidik jari di chip tidak dapat digunakan',
};

export function reasonText(reason: ReasonCode): string {
  return REASONS[reason];
}

/**
 * The ledger's chain head on paper: filed with the report or berita acara, it lets an auditor see
 * later that the ledger was not rewritten after this moment. Hex in groups of 8 to read aloud.
 */
export function ledgerSealLines(seal: { id: number; hash: string } | undefined): SlipLine[] {
  if (!seal) return [];
  return [{ kind: 'rule' }, para(`Segel buku besar #${seal.id}:`), para(seal.hash.match(/.{1,8}/g)!.join(' '))];
}

const REPLACEMENT = 'KTP-el ini tidak dapat diserahkan dan akan dimusnahkan. Tunggu pemberitahuan dari Dinas Dukcapil untuk pengambilan KTP-el pengganti.';

/**
 * What happens next, addressed to the resident who holds the slip (never an instruction to staff:
 * the slip goes home with the resident on GAGAL). One text per reason, because the resident's
 * next step differs: re-enrolment, a data correction, or waiting for a replacement card.
 */
const NEXT_STEP: Readonly<Partial<Record<ReasonCode, string>>> = {
  fp_no_match:
    'Silakan datang ke Dinas Dukcapil untuk perekaman ulang sidik jari dengan membawa KTP lama dan surat panggilan ini.',
  fp_quality:
    'Silakan datang ke Dinas Dukcapil untuk perekaman ulang sidik jari dengan membawa KTP lama dan surat panggilan ini.',
  card_unreadable: REPLACEMENT,
  sig_invalid: REPLACEMENT,
  print_mismatch: REPLACEMENT,
  card_damaged: REPLACEMENT,
  data_mismatch:
    'KTP-el ini tidak dapat diserahkan. Dinas Dukcapil akan mengundang Anda untuk pembetulan data; simpan KTP lama dan surat panggilan ini.',
  data_disputed:
    'Data pada KTP-el Anda sama dengan dokumen pengesahan yang Anda tandatangani saat perekaman. Bila menurut Anda masih ada data yang salah, silakan ajukan pembetulan data melalui pelayanan reguler Dinas Dukcapil dengan membawa dokumen pendukung (misalnya Kartu Keluarga atau akta kelahiran).',
};

export function nextStepText(reason: ReasonCode): string | null {
  return NEXT_STEP[reason] ?? null;
}

/** Why a resident is on the Dinas's list for data correction (SOP steps 10 and 17). */
export function correctionReasonText(reason: 'data_mismatch' | 'data_disputed'): string {
  return reason === 'data_mismatch'
    ? 'Data tidak sesuai dokumen pengesahan; KTP-el tidak diserahkan'
    : 'Disanggah, data sesuai dokumen pengesahan; KTP-el diserahkan';
}
