export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** Which check produced it (stable English id: 'printer', 'clock'...). */
  readonly check: string;
  readonly code: DoctorCode;
  readonly status: CheckStatus;
  /** For the counter staff, in Bahasa Indonesia: what is wrong and what to do. */
  readonly message: string;
  /** For the fleet engineer, in English: the error or the figures behind the verdict. */
  readonly detail?: string;
  /** The reference-build part the check expected, on a missing-device verdict (referenceParts.ts). */
  readonly expected?: string;
}

/**
 * Every verdict the doctor can give: its status and what the counter staff read, in Bahasa
 * Indonesia ("what is wrong — what to do"). One table, so docs/appliance.md can list them all and
 * a test can keep the two in step.
 */
export const DOCTOR_MESSAGES = {
  PCSCD_OK: ['pass', 'Layanan kartu (pcscd) berjalan'],
  PCSCD_NOT_USED: ['pass', 'Pembaca kartu simulasi; pcscd tidak dipakai'],
  PCSCD_DOWN: ['fail', 'Layanan kartu (pcscd) tidak berjalan — matikan lalu nyalakan kotak; bila tetap, hubungi teknisi'],
  READER_OK: ['pass', 'Pembaca kartu dan SAM siap'],
  READER_ABSENT: ['fail', 'Pembaca kartu tidak terdeteksi — periksa kabel USB pembaca kartu'],
  READER_SERVICE_DOWN: ['fail', 'Pembaca kartu tidak bisa dihubungi lewat pcscd — matikan lalu nyalakan kotak'],
  READER_ERROR: ['fail', 'Pembaca kartu bermasalah — cabut lalu pasang lagi kabel USB-nya'],
  SAM_ABSENT: ['fail', 'Kartu SAM tidak terpasang — pasang SAM pada slot pembaca kartu'],
  SAM_LOCKED: ['fail', 'Kartu SAM terkunci — hubungi Dinas Dukcapil'],
  SAM_ERROR: ['fail', 'Kartu SAM tidak menjawab — cabut lalu pasang lagi pembaca; bila tetap, hubungi teknisi'],
  SENSOR_OK: ['pass', 'Sensor sidik jari siap'],
  SENSOR_ABSENT: ['fail', 'Sensor sidik jari tidak terdeteksi — periksa kabel USB sensor'],
  SENSOR_BUSY: ['fail', 'Sensor sidik jari sedang dipakai — hentikan agen dulu, lalu periksa lagi'],
  SENSOR_ERROR: ['fail', 'Sensor sidik jari tidak menjawab dengan benar — cabut lalu pasang lagi kabel USB-nya'],
  PRINTER_OK: ['pass', 'Printer siap, kertas cukup'],
  PRINTER_PAPER_LOW: ['warn', 'Kertas printer hampir habis — siapkan gulungan baru'],
  PRINTER_PAPER_OUT: ['fail', 'Kertas printer habis — ganti gulungan kertas'],
  PRINTER_COVER_OPEN: ['fail', 'Tutup printer terbuka — tutup sampai berbunyi klik'],
  PRINTER_CUTTER_ERROR: ['fail', 'Pemotong kertas macet — buka tutup, keluarkan kertas yang tersangkut'],
  PRINTER_OFFLINE: ['fail', 'Printer tidak siap — periksa lampu dan tombol daya printer'],
  PRINTER_ABSENT: ['fail', 'Printer tidak terdeteksi — periksa kabel dan daya printer'],
  PRINTER_NO_RESPONSE: ['fail', 'Printer tidak menjawab — matikan lalu nyalakan printer'],
  PRINTER_ERROR: ['fail', 'Printer bermasalah — matikan lalu nyalakan printer'],
  PANEL_OK: ['pass', 'Tombol dan lampu panel siap'],
  PANEL_UNAVAILABLE: ['fail', 'Panel tombol dan lampu tidak bisa dibuka — hubungi teknisi'],
  PANEL_LINE_MISSING: ['fail', 'Jalur tombol atau lampu tidak ditemukan — hubungi teknisi (pengaturan GPIO)'],
  PANEL_ERROR: ['fail', 'Panel tombol dan lampu bermasalah — periksa kabel panel'],
  DISPLAY_OK: ['pass', 'Layar operator siap'],
  DISPLAY_ABSENT: ['fail', 'Layar operator tidak terdeteksi — periksa kabel layar (4 kabel I2C); bila baru dipasang, hubungi teknisi (alamat I2C)'],
  DISPLAY_ERROR: ['fail', 'Layar operator bermasalah — periksa kabel layar, lalu nyalakan ulang kotak'],
  BROKER_OK: ['pass', 'Terhubung ke server pemantauan'],
  BROKER_NOT_CONFIGURED: ['pass', 'Server pemantauan tidak diatur; catatan tetap disimpan di kotak ini'],
  BROKER_UNREACHABLE: ['fail', 'Server pemantauan tidak bisa dihubungi — periksa kabel jaringan (LAN); pelayanan tetap jalan'],
  BROKER_REFUSED: ['fail', 'Server pemantauan menolak sambungan — hubungi teknisi (nama pengguna atau sandi)'],
  CLOCK_OK: ['pass', 'Tanggal dan jam benar dan tersinkron'],
  CLOCK_UNCHECKED: ['pass', 'Tanggal masuk akal; sinkronisasi jam tidak bisa diperiksa di sistem ini'],
  CLOCK_NOT_SYNCED: ['warn', 'Jam belum tersinkron — periksa kabel jaringan; cocokkan jam dengan jam dinding'],
  CLOCK_WRONG: ['fail', 'Tanggal atau jam kotak salah — sambungkan ke jaringan, lalu nyalakan ulang kotak'],
  DATA_DIR_OK: ['pass', 'Folder data ada dan terlindungi'],
  DATA_DIR_MISSING: ['fail', 'Folder data tidak ada — hubungi teknisi (pasang ulang)'],
  DATA_DIR_OPEN: ['fail', 'Folder data bisa dibaca pengguna lain — hubungi teknisi (hak akses 0700)'],
  DATA_DIR_READONLY: ['fail', 'Folder data tidak bisa ditulisi — hubungi teknisi'],
  DISK_OK: ['pass', 'Ruang penyimpanan cukup'],
  DISK_LOW: ['warn', 'Ruang penyimpanan hampir penuh — hubungi teknisi'],
  DISK_FULL: ['fail', 'Ruang penyimpanan penuh — hubungi teknisi segera'],
  DB_OK: ['pass', 'Basis data catatan serah terima utuh'],
  DB_NONE: ['pass', 'Basis data belum ada (belum ada transaksi)'],
  DB_CORRUPT: ['fail', 'Basis data rusak — jangan dihapus; hubungi teknisi'],
  DB_UNREADABLE: ['fail', 'Basis data tidak bisa dibuka — hubungi teknisi'],
  ROSTER_KEYS_OK: ['pass', 'Kunci tanda tangan daftar kiriman Dinas terpasang'],
  ROSTER_DEV_KEY: ['warn', 'Loket simulasi memakai kunci pengembangan untuk daftar kiriman — jangan dipakai untuk pelayanan'],
  ROSTER_DEV_KEY_REAL: ['fail', 'Kunci pengembangan dipercaya pada loket sungguhan — hubungi teknisi (roster.trustedKeys)'],
  ROSTER_KEY_MISSING: ['fail', 'Kunci tanda tangan daftar kiriman Dinas belum terpasang — hubungi teknisi (roster.trustedKeys)'],
  LEDGER_SEALED_OK: ['pass', 'Segel buku besar utuh'],
  LEDGER_NOT_INITIALISED: ['fail', 'Buku besar belum dibuat — hubungi teknisi (ektp-agent init)'],
  LEDGER_KEY_MISSING: ['fail', 'Kunci segel buku besar tidak ada — jangan buat baru; hubungi teknisi'],
  LEDGER_TAMPERED: ['fail', 'Buku besar telah diubah di luar aplikasi — jangan dipakai; hubungi Dinas dan teknisi'],
  CHECK_ERROR: ['fail', 'Pemeriksaan ini gagal dijalankan — hubungi teknisi'],
  CHECK_TIMEOUT: ['fail', 'Pemeriksaan ini tidak selesai tepat waktu — perangkatnya tidak menjawab'],
} as const satisfies Record<string, readonly [CheckStatus, string]>;

export type DoctorCode = keyof typeof DOCTOR_MESSAGES;

export function verdict(check: string, code: DoctorCode, detail?: string): CheckResult {
  const [status, message] = DOCTOR_MESSAGES[code];
  return detail === undefined ? { check, code, status, message } : { check, code, status, message, detail };
}

/** Error text for `detail`: message and code, never a stack (the table is read at the counter). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
