import type { Config } from '../config/types.ts';
import type { ItemKind } from '../ledger/types.ts';
import { reconciliationReport, type ReconciliationReport } from './reconciliationReport.ts';
import type { Ledger } from '../ledger/ledger.ts';

/**
 * The daily report as files for the supervisor and the Dinas (`report daily --out`, `close-day
 * --out`): JSON and CSV with Bahasa Indonesia labels, the same figures as the printed LAPORAN
 * HARIAN, SELISIH included. Counts and queue numbers only: no NIK, no name.
 */
export interface LaporanHarian {
  readonly format: 'ektp-laporan-harian/1';
  readonly kantor: string;
  readonly kodeLokasi: string;
  readonly loket: string;
  readonly tanggal: string;
  readonly dibuatPada: string;
  readonly antrean: {
    readonly nomorDiambil: number;
    readonly dilayani: number;
    readonly tidakHadir: number;
    readonly dibatalkan: number;
    readonly tidakDilayaniTutupHari: number;
  };
  readonly hasilVerifikasi: {
    readonly berhasil: number;
    readonly gagal: number;
    /** Of berhasil: disputed, and the card matched the dokumen pengesahan. */
    readonly disanggahDataSesuai: number;
    /** Of gagal: the card differs from the dokumen pengesahan. */
    readonly dataTidakSesuai: number;
    /** Of gagal: misprint, physical damage, unreadable chip. */
    readonly ktpElRusak: number;
    /** Neither berhasil nor gagal: a device or the chip data failed; the e-KTP stays in the office. */
    readonly belumDapatDiverifikasi: number;
  };
  /** Residents to invite for data correction (SOP step 17); the list, NIK masked, is its own CSV. */
  readonly undanganPerbaikanData: { readonly dataTidakSesuai: number; readonly disanggahDataSesuai: number };
  readonly stokKtpEl: {
    readonly stokAwal: number;
    readonly diterimaDariDinas: number;
    readonly diserahkanKePenduduk: number;
    readonly dikembalikanUntukPemusnahan: number;
    /** Net e-KTPs moved to another box of the office (leased to a counter, handed back to the desk). */
    readonly dikirimKeMejaLoketLain: number;
    /**
     * At the intake desk, for today: the tickets leased to counters now, "A-001 (loket-1)"; their
     * e-KTPs are on the counters' tables (part of dikirimKeMejaLoketLain), not missing from the store.
     */
    readonly diLoketSedangDilayani: readonly string[];
    /** What should be in the card store (on site in this box). */
    readonly stokAkhirSistem: number;
    /** null while nobody has counted (the day is not closed). */
    readonly stokAkhirFisik: number | null;
    /** fisik − sistem; null when not counted. */
    readonly selisih: number | null;
  };
  readonly ktpLama: { readonly diterima: number; readonly dikembalikan: number; readonly disimpan: number; readonly diserahkanKeDinas: number; readonly masihDiLoket: number };
  readonly tutupHari: {
    readonly ditutupPada: string;
    readonly petugas: string;
    readonly dokumenAntreanTersisa: 'dikembalikan' | 'disimpan';
    readonly nomorTidakDilayani: readonly string[];
  } | null;
  readonly rekonsiliasi: {
    readonly seimbang: boolean;
    readonly transaksiTerbuka: number;
    readonly barang: Readonly<Record<string, { readonly masuk: number; readonly seimbang: boolean; readonly perKeadaan: Readonly<Record<string, number>> }>>;
    readonly masalah: readonly string[];
  };
  readonly beritaAcara: ReadonlyArray<{ readonly nomor: string; readonly jenis: string; readonly jumlah: number; readonly ditandatanganiPada: string | null }>;
}

export const ITEM_LABELS: Readonly<Record<ItemKind, string>> = {
  ektp: 'KTP-el',
  old_ktp: 'KTP lama',
  letter: 'Surat panggilan',
  queue_ticket: 'Nomor antrean',
  receipt: 'Tanda terima',
};

export const STATE_LABELS: Readonly<Record<string, string>> = {
  on_hand: 'di loket',
  with_operator: 'dipegang operator',
  with_support: 'dipegang petugas pendukung',
  issued: 'diserahkan',
  retained: 'ditahan',
  sent_for_destruction: 'dikirim untuk pemusnahan',
  not_delivered: 'tidak ada dalam kiriman',
  held: 'dipegang petugas',
  // Office: the old KTP after a verdict at a counter, owed back at the intake desk (handbacks.ts).
  awaiting_return: 'menunggu diambil penduduk',
  returned: 'dikembalikan',
  kept: 'disimpan',
  lent: 'dipinjamkan',
  handed_over: 'diserahkan ke Dinas',
  destroyed: 'dimusnahkan',
  with_resident: 'dibawa penduduk',
  // Office: on its way to the intake desk or a counter (agent/office/).
  sent: 'dikirim ke meja/loket lain',
};

const BATCH_LABELS: Readonly<Record<string, string>> = {
  ektp_destruction: 'pengembalian KTP-el untuk pemusnahan',
  old_ktp_handover: 'penyerahan KTP lama ke Dinas',
  old_ktp_destruction: 'pemusnahan KTP lama',
};

/** `atCounters`: the desk's open leases as "A-001 (loket-1)" (agent/office/leases.ts leaseLabels). */
export function laporanHarian(ledger: Ledger, config: Config, day?: string, atCounters: readonly string[] = []): LaporanHarian {
  return fromReconciliation(reconciliationReport(ledger, config, day), config, atCounters);
}

export function fromReconciliation(r: ReconciliationReport, config: Config, atCounters: readonly string[] = []): LaporanHarian {
  const d = r.day;
  const sistem = d.cards.closing;
  const fisik = d.closing?.cardsCounted ?? null;
  return {
    format: 'ektp-laporan-harian/1',
    kantor: config.site.office,
    kodeLokasi: r.site,
    loket: r.counter,
    tanggal: d.date,
    dibuatPada: r.generatedAt,
    antrean: {
      nomorDiambil: d.queue.issued,
      dilayani: d.queue.served,
      tidakHadir: d.queue.noShow,
      dibatalkan: d.queue.cancelled,
      tidakDilayaniTutupHari: d.queue.notServed,
    },
    hasilVerifikasi: {
      berhasil: d.results.berhasil,
      gagal: d.results.gagal,
      disanggahDataSesuai: d.results.disputedDataCorrect,
      dataTidakSesuai: d.results.dataMismatch,
      ktpElRusak: d.results.rusak,
      belumDapatDiverifikasi: d.results.unverified,
    },
    undanganPerbaikanData: { dataTidakSesuai: r.dataCorrection.dataMismatch, disanggahDataSesuai: r.dataCorrection.disputedDataCorrect },
    stokKtpEl: {
      stokAwal: d.cards.opening,
      diterimaDariDinas: d.cards.received,
      diserahkanKePenduduk: d.cards.handedOver,
      dikembalikanUntukPemusnahan: d.cards.returnedForDestruction,
      dikirimKeMejaLoketLain: d.cards.sentOut,
      diLoketSedangDilayani: atCounters,
      stokAkhirSistem: sistem,
      stokAkhirFisik: fisik,
      selisih: fisik === null ? null : fisik - sistem,
    },
    ktpLama: {
      diterima: d.oldKtp.received,
      dikembalikan: d.oldKtp.returned,
      disimpan: d.oldKtp.kept,
      diserahkanKeDinas: d.oldKtp.handedOver,
      masihDiLoket: d.oldKtp.onHand,
    },
    tutupHari: d.closing
      ? {
          ditutupPada: d.closing.closedAt,
          petugas: d.closing.operator,
          dokumenAntreanTersisa: d.closing.documents === 'kept' ? 'disimpan' : 'dikembalikan',
          nomorTidakDilayani: d.closing.tickets,
        }
      : null,
    rekonsiliasi: {
      seimbang: r.reconciliation.ok,
      transaksiTerbuka: r.reconciliation.openTransactions,
      barang: Object.fromEntries(
        Object.entries(r.reconciliation.items).map(([kind, b]) => [
          ITEM_LABELS[kind as ItemKind] ?? kind,
          { masuk: b.received, seimbang: b.ok, perKeadaan: Object.fromEntries(Object.entries(b.byState).map(([s, n]) => [STATE_LABELS[s] ?? s, n])) },
        ]),
      ),
      masalah: r.reconciliation.problems,
    },
    beritaAcara: r.batches.map((b) => ({ nomor: b.number, jenis: BATCH_LABELS[b.kind] ?? b.kind, jumlah: b.items, ditandatanganiPada: b.signedAt })),
  };
}

/** One row per figure: bagian (section), uraian (item), jumlah (count), for a spreadsheet. */
export function laporanHarianCsv(l: LaporanHarian): string {
  const rows: (string | number)[][] = [['kode_lokasi', 'loket', 'tanggal', 'bagian', 'uraian', 'jumlah']];
  const add = (bagian: string, uraian: string, jumlah: string | number) => rows.push([l.kodeLokasi, l.loket, l.tanggal, bagian, uraian, jumlah]);
  const a = l.antrean;
  add('Antrean', 'Nomor diambil', a.nomorDiambil);
  add('Antrean', 'Dilayani', a.dilayani);
  add('Antrean', 'Tidak hadir', a.tidakHadir);
  add('Antrean', 'Dibatalkan', a.dibatalkan);
  add('Antrean', 'Tidak dilayani (tutup hari)', a.tidakDilayaniTutupHari);
  add('Hasil verifikasi', 'Berhasil', l.hasilVerifikasi.berhasil);
  add('Hasil verifikasi', 'Gagal', l.hasilVerifikasi.gagal);
  add('Hasil verifikasi', 'Berhasil: disanggah, data sesuai', l.hasilVerifikasi.disanggahDataSesuai);
  add('Hasil verifikasi', 'Gagal: data tidak sesuai', l.hasilVerifikasi.dataTidakSesuai);
  add('Hasil verifikasi', 'Gagal: KTP-el rusak', l.hasilVerifikasi.ktpElRusak);
  add('Hasil verifikasi', 'Belum dapat diverifikasi', l.hasilVerifikasi.belumDapatDiverifikasi);
  add('Undangan perbaikan data', 'Data tidak sesuai', l.undanganPerbaikanData.dataTidakSesuai);
  add('Undangan perbaikan data', 'Disanggah, data sesuai', l.undanganPerbaikanData.disanggahDataSesuai);
  const s = l.stokKtpEl;
  add('Stok KTP-el', 'Stok awal', s.stokAwal);
  add('Stok KTP-el', 'Diterima dari Dinas', s.diterimaDariDinas);
  add('Stok KTP-el', 'Diserahkan ke penduduk', s.diserahkanKePenduduk);
  add('Stok KTP-el', 'Dikembalikan (pemusnahan)', s.dikembalikanUntukPemusnahan);
  add('Stok KTP-el', 'Dikirim ke meja/loket lain', s.dikirimKeMejaLoketLain);
  add('Stok KTP-el', 'Di loket (sedang dilayani)', s.diLoketSedangDilayani.length);
  if (s.diLoketSedangDilayani.length > 0) add('Stok KTP-el', 'Nomor di loket', s.diLoketSedangDilayani.join(' '));
  add('Stok KTP-el', 'Stok akhir (sistem)', s.stokAkhirSistem);
  add('Stok KTP-el', 'Stok akhir (fisik)', s.stokAkhirFisik ?? 'belum dihitung');
  if (s.selisih !== null) add('Stok KTP-el', s.selisih === 0 ? 'STOK SEIMBANG' : 'SELISIH', s.selisih);
  add('KTP lama', 'Diterima', l.ktpLama.diterima);
  add('KTP lama', 'Dikembalikan ke penduduk', l.ktpLama.dikembalikan);
  add('KTP lama', 'Disimpan', l.ktpLama.disimpan);
  add('KTP lama', 'Diserahkan ke Dinas', l.ktpLama.diserahkanKeDinas);
  add('KTP lama', 'Masih di loket', l.ktpLama.masihDiLoket);
  if (l.tutupHari) {
    add('Tutup hari', `Nomor tidak dilayani (dokumen ${l.tutupHari.dokumenAntreanTersisa})`, l.tutupHari.nomorTidakDilayani.join(' '));
  }
  for (const [barang, b] of Object.entries(l.rekonsiliasi.barang)) {
    for (const [keadaan, n] of Object.entries(b.perKeadaan)) add(`Rekonsiliasi ${barang}`, keadaan, n);
    add(`Rekonsiliasi ${barang}`, b.seimbang ? 'seimbang' : 'TIDAK SEIMBANG', b.masuk);
  }
  const cell = (c: string | number) => {
    const v = String(c);
    return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  };
  return rows.map((row) => row.map(cell).join(',')).join('\n') + '\n';
}
