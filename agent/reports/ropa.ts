import type { Config } from '../config/types.ts';
import type { Ledger } from '../ledger/ledger.ts';

/**
 * Record of processing activities (UU 27/2022 Pasal 31) for this counter, to support the Dinas's
 * DPIA (Pasal 34). The Dinas is the controller; the appliance processes on its behalf. Counts
 * come from the ledger; no personal data is in the record itself.
 */
export function recordOfProcessing(ledger: Ledger, config: Config) {
  return {
    generatedAt: ledger.now().toISOString(),
    controller: config.site.dinas + ' ' + config.site.region,
    processor: 'e-KTP pickup counter agent (this appliance)',
    site: config.site.id,
    counter: config.counter.id,
    purposes: ['Serah terima KTP-el kepada penduduk yang berhak (verifikasi 1:1 sidik jari)', 'Akuntabilitas fisik KTP-el, KTP lama dan surat panggilan'],
    legalBasis: ['UU 23/2006 jo. UU 24/2013 (Adminduk)', 'Permendagri 9/2011 jo. 69/2014 jo. 8/2016', 'UU 27/2022 Pasal 20 ayat (2) huruf c dan e'],
    dataSubjects: 'Penduduk yang mengambil KTP-el di lokasi ini',
    personalData: {
      stored: ['NIK', 'nama', 'biodata dokumen pengesahan', 'nomor surat panggilan', 'UID chip KTP-el'],
      specificData: {
        categories: ['sidik jari (templat minutiae chip dan citra langsung)', 'foto', 'tanda tangan'],
        handling: 'Hanya di memori selama satu transaksi, dinolkan sesudahnya; tidak pernah ke disk, log, atau MQTT.',
      },
    },
    recipients: {
      monitoringMqtt: 'Status perangkat dan kejadian tanpa data pribadi (tanpa NIK, nama, nomor antrean, citra, templat).',
      dinas: 'Berita acara serah terima dan pemusnahan (NIK tersamar pada cetakan).',
    },
    retention: { personalDataDays: config.retention.personalDataDays, method: 'ektp-agent retention purge: NIK, nama, dan biodata dihapus; jumlah dan jejak audit tetap.' },
    security: ['Buku besar SQLite di direktori 0700 milik pengguna layanan', 'Jejak audit berantai hash (ektp-agent verify-ledger)', 'Daftar kiriman bertanda tangan Ed25519', 'Log menyamarkan NIK dan menyunting nama', 'Unit systemd diperketat'],
    counts: ledger.personalDataCounts(),
  };
}
