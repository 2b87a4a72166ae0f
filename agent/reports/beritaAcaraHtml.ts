import type { Config } from '../config/types.ts';
import type { Batch, BatchKind } from '../ledger/batches.ts';
import type { LedgerSeal } from '../slips/types.ts';
import { maskNik } from '../slips/mask.ts';
import { terbilang } from './terbilang.ts';

const PURPOSE: Record<BatchKind, { title: string; statement: string; unit: string }> = {
  ektp_destruction: {
    title: 'PENYERAHAN KTP-el UNTUK DIMUSNAHKAN',
    statement:
      'PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA KTP-el yang rusak atau tidak dapat diserahkan kepada pemiliknya, untuk dikembalikan kepada Direktorat Jenderal Kependudukan dan Pencatatan Sipil dan dimusnahkan sesuai Surat Edaran Menteri Dalam Negeri Nomor 470.13/11176/SJ, dengan rincian sebagai berikut:',
    unit: 'keping KTP-el',
  },
  old_ktp_handover: {
    title: 'SERAH TERIMA KTP LAMA',
    statement:
      'PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA KTP lama yang diterima dari penduduk pada saat pengambilan KTP-el, dengan rincian sebagai berikut:',
    unit: 'keping KTP lama',
  },
  old_ktp_destruction: {
    title: 'PEMUSNAHAN KTP LAMA',
    // The method is what the office chose (config beritaAcara.destructionMethod); a berita acara
    // must not state one nobody used, so without it the sentence names none.
    statement:
      'Setelah masa peralihan berakhir, PIHAK PERTAMA dan PIHAK KEDUA telah memusnahkan KTP lama yang berada dalam penguasaan Dinas{method}, dengan rincian sebagai berikut:',
    unit: 'keping KTP lama',
  },
};

const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function localParts(iso: string, timeZone: string): { day: string; date: number; month: string; monthNumber: number; year: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday);
  return { day: DAYS[weekday], date: Number(parts.day), month: MONTHS[Number(parts.month) - 1], monthNumber: Number(parts.month), year: Number(parts.year) };
}

/**
 * The berita acara of a signed batch on A4, laid out like a Dinas letter (kop surat, numbered
 * title, parties, itemised table, signature blocks) for printing and filing. NIKs are masked:
 * the full list stays in the ledger for the Dinas. Open in a browser and print to A4.
 *
 * `ledgerSeal` is the audit chain head when the letter is made (Ledger.chainHead()), the same id
 * and MAC the thermal berita acara prints as "Segel buku besar": signed and filed at the Dinas, it
 * is an anchor outside the box, so a ledger rewritten later no longer matches the paper. The A4
 * letter says "register serah terima" for the ledger, as its footer does.
 */
export function beritaAcaraHtml(batch: Batch, config: Config, ledgerSeal: LedgerSeal): string {
  const p = PURPOSE[batch.kind];
  const when = localParts(batch.signedAt ?? batch.createdAt, config.site.timezone);
  const party = (label: string, x: Batch['pihakPertama']) => `
      <tr><td class="k">Nama</td><td>:</td><td>${esc(x.name)}</td></tr>
      ${x.nip ? `<tr><td class="k">NIP</td><td>:</td><td>${esc(x.nip)}</td></tr>` : ''}
      <tr><td class="k">Jabatan</td><td>:</td><td>${esc(x.position)}</td></tr>
      <tr><td colspan="3" class="role">selanjutnya disebut <b>${label}</b>.</td></tr>`;
  const rows = batch.lines
    .map(
      (l, i) =>
        `<tr><td class="n">${i + 1}</td><td>${esc(l.name ?? '(data dihapus sesuai retensi)')}</td><td class="nik">${l.nik ? maskNik(l.nik) : '-'}</td><td>${esc(l.reason)}</td></tr>`,
    )
    .join('\n');
  const sign = (caption: string, x: Batch['pihakPertama']) => `
      <div class="sign"><div>${caption}</div><div class="space"></div>
      <div class="name">${esc(x.name)}</div>${x.nip ? `<div>NIP. ${esc(x.nip)}</div>` : ''}</div>`;
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<title>Berita Acara ${esc(batch.number)}</title>
<style>
  @page { size: A4; margin: 2cm 2cm 2cm 2.5cm; }
  body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 12pt; line-height: 1.5; color: #000; max-width: 16.5cm; margin: 0 auto; }
  .kop { text-align: center; border-bottom: 4px double #000; padding-bottom: 6px; margin-bottom: 18px; }
  .kop .l1 { font-size: 14pt; font-weight: bold; }
  .kop .l2 { font-size: 16pt; font-weight: bold; }
  .kop .l3 { font-size: 11pt; }
  h1 { font-size: 12pt; text-align: center; margin: 0; text-decoration: underline; }
  .no { text-align: center; margin-bottom: 16px; }
  p { text-align: justify; margin: 8px 0; }
  table.parties { margin-left: 1cm; border-collapse: collapse; }
  table.parties td { padding: 0 4px; vertical-align: top; }
  table.parties td.k { width: 2.5cm; }
  td.role { padding-bottom: 8px !important; }
  table.items { width: 100%; border-collapse: collapse; margin: 8px 0; font-size: 11pt; }
  table.items th, table.items td { border: 1px solid #000; padding: 3px 6px; }
  table.items th { background: #eee; }
  td.n { text-align: center; width: 1cm; } td.nik { font-family: "Courier New", monospace; white-space: nowrap; }
  .signs { display: flex; justify-content: space-between; margin-top: 24px; page-break-inside: avoid; }
  .sign { width: 45%; text-align: center; }
  .sign .space { height: 2.2cm; }
  .sign .name { font-weight: bold; text-decoration: underline; }
  .place { text-align: right; margin-top: 16px; }
  .foot { margin-top: 24px; font-size: 9pt; color: #333; border-top: 1px solid #999; padding-top: 4px; }
  .seal { font-family: "Courier New", monospace; word-spacing: 0.3em; }
</style></head>
<body>
  <div class="kop">
    <div class="l1">PEMERINTAH ${esc(config.site.region)}</div>
    <div class="l2">${esc(config.site.dinas)}</div>
    <div class="l3">${esc(config.site.office)} &mdash; ${esc(config.counter.label)}</div>
  </div>
  <h1>BERITA ACARA<br>${p.title}</h1>
  <div class="no">Nomor: ${esc(batch.number)}</div>
  <p>Pada hari ini ${when.day} tanggal ${terbilang(when.date)} bulan ${when.month} tahun ${terbilang(when.year)}
  (${String(when.date).padStart(2, '0')}-${String(when.monthNumber).padStart(2, '0')}-${when.year}), bertempat di ${esc(config.site.office)}, kami yang bertanda tangan di bawah ini:</p>
  <table class="parties">
    <tr><td colspan="3"><b>1.</b></td></tr>${party('PIHAK PERTAMA', batch.pihakPertama)}
    <tr><td colspan="3"><b>2.</b></td></tr>${party('PIHAK KEDUA', batch.pihakKedua)}
  </table>
  <p>${p.statement.replace('{method}', config.beritaAcara.destructionMethod ? ` dengan cara ${esc(config.beritaAcara.destructionMethod)}` : '')}</p>
  <table class="items">
    <thead><tr><th>No.</th><th>Nama</th><th>NIK</th><th>Keterangan</th></tr></thead>
    <tbody>
${rows || '<tr><td colspan="4" class="n">(nihil)</td></tr>'}
    </tbody>
  </table>
  <p>Jumlah: <b>${batch.lines.length} (${terbilang(batch.lines.length)}) ${p.unit}</b>.</p>
  <p>Demikian Berita Acara ini dibuat dengan sebenarnya dalam rangkap 2 (dua) untuk dipergunakan sebagaimana mestinya.</p>
  <div class="place">${esc(config.site.city)}, ${when.date} ${when.month} ${when.year}</div>
  <div class="signs">
    ${sign('PIHAK KEDUA<br>Yang Menerima,', batch.pihakKedua)}
    ${sign('PIHAK PERTAMA<br>Yang Menyerahkan,', batch.pihakPertama)}
  </div>
  <div class="foot">Dicetak dari register serah terima loket ${esc(config.counter.id)}. Kode hash: ${esc(batch.digest ?? 'belum ditandatangani')}. NIK ditampilkan tersamar; data lengkap tersimpan pada register serah terima.<br>
  Segel register serah terima #${ledgerSeal.id}: <span class="seal">${esc(ledgerSeal.hash.match(/.{1,8}/g)!.join(' '))}</span></div>
</body></html>
`;
}
