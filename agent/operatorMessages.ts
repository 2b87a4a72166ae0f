import type { CardErrorCode } from '../drivers/card/types.ts';
import type { DisplayErrorCode } from '../drivers/display/types.ts';
import type { SensorErrorCode } from '../drivers/fingerprint/types.ts';
import type { LedName, LedPattern, PanelErrorCode } from '../drivers/panel/types.ts';
import type { PrinterErrorCode } from '../drivers/printer/types.ts';
import type { KeypadErrorCode } from '../drivers/keypad/types.ts';
import type { ScannerErrorCode } from '../drivers/scanner/types.ts';
import type { CaptureGuidance } from '../matcher/types.ts';
import type { CounterErrorCode } from './errors.ts';
import type { LedgerErrorCode } from './ledger/errors.ts';
import type { MatchingErrorCode } from './matching/types.ts';

/**
 * The one table from an error or notice code to what the operator sees: an LED pattern and a
 * short Bahasa Indonesia line (operator display, keyboard console, log). Every text fits three
 * rows of a 20-column display (test/agent/display/screen.test.ts). The transaction runner is the
 * only caller; every code a driver, the matcher or the counter can raise has a row here.
 */
export interface OperatorMessage {
  readonly led: LedName;
  readonly pattern: LedPattern;
  readonly text: string;
  /** How loud the log line is: device faults are errors, operator slips are info. */
  readonly level: 'info' | 'warn' | 'error';
}

/**
 * Every code the operator can be shown: each area's error codes, the matcher's capture guidance
 * and the state machine's own notices. The table below is a Record over this union, so a code
 * added to any area without a row here (or a row for a code nobody raises) fails typecheck.
 */
export type OperatorCode =
  | CounterErrorCode
  | LedgerErrorCode
  | MatchingErrorCode
  | CardErrorCode
  | SensorErrorCode
  | PanelErrorCode
  | PrinterErrorCode
  | ScannerErrorCode
  | KeypadErrorCode
  | DisplayErrorCode
  | CaptureGuidance
  // Notices of the state machine (agent/transaction/step.ts) and the runner's boundary.
  | 'WRONG_STATE'
  | 'NO_OTHER_FINGER'
  | 'FP_NO_MATCH'
  | 'CONFIG_INVALID'
  // Notices of the intake desk (agent/intake/desk.ts): an old KTP owed back after a counter's verdict.
  | 'OLD_KTP_HANDBACK'
  | 'OLD_KTP_RETURNED'
  // The handback refused on a ledger that no longer verifies: nothing recorded, slips say why.
  | 'OLD_KTP_HANDBACK_HELD';

const fault = (text: string): OperatorMessage => ({ led: 'GANGGUAN', pattern: 'fast', text, level: 'error' });
const retry = (text: string): OperatorMessage => ({ led: 'TEMPELKAN_JARI', pattern: 'fast', text, level: 'info' });
const refuse = (text: string): OperatorMessage => ({ led: 'GAGAL', pattern: 'fast', text, level: 'warn' });

export const OPERATOR_MESSAGES: Readonly<Record<OperatorCode, OperatorMessage>> = {
  // Counter
  WRONG_STATE: refuse('Tombol ini tidak berlaku pada langkah sekarang.'),
  QUEUE_EMPTY: { led: 'SIAP', pattern: 'fast', text: 'Tidak ada antrean yang menunggu.', level: 'info' },
  QUEUE_UNREACHABLE: fault('Antrean kantor tidak terjangkau. Coba PANGGIL lagi.'),
  QUEUE_LEDGER_REFUSED: fault('Buku besar meja pendaftaran diubah. Hubungi Dinas.'),
  OFFICE_LINK_REFUSED: fault('Server antrean menolak sandi/izin. Hubungi teknisi.'),
  OFFICE_LINK_TLS: fault('Sertifikat server antrean tidak sah. Hubungi teknisi.'),
  OFFICE_TLS_FILE: fault('Sertifikat antrean tidak terbaca. Hubungi teknisi.'),
  LETTER_UNKNOWN: refuse('Surat panggilan tidak terdaftar di lokasi ini.'),
  ALREADY_ISSUED: refuse('KTP-el untuk surat ini sudah diserahkan sebelumnya.'),
  ALREADY_QUEUED: refuse('Penduduk ini sudah memegang nomor antrean.'),
  NIK_UNKNOWN: refuse('NIK tidak terdaftar dalam daftar kiriman lokasi ini.'),
  LOSS_REPORT_INVALID: refuse('No. surat kehilangan polisi tidak sah. Ketik ulang.'),
  OLD_KTP_HANDBACK: { led: 'BERHASIL', pattern: 'slow', text: 'KEMBALIKAN KTP LAMA ke penduduk, lalu tekan SESUAI.', level: 'info' },
  OLD_KTP_RETURNED: { led: 'BERHASIL', pattern: 'on', text: 'KTP lama sudah dikembalikan. Tercatat.', level: 'info' },
  OLD_KTP_HANDBACK_HELD: refuse('Pengembalian KTP lama ditunda. Hubungi Dinas.'),
  // Intake desk devices
  SCANNER_ABSENT: fault('Pemindai surat tidak terhubung.'),
  SCANNER_IO: fault('Gangguan pemindai surat.'),
  SCAN_UNREADABLE: refuse('Kode surat tidak terbaca. Pindai lagi atau ketik NIK.'),
  SCANNER_CONFIG: fault('Konfigurasi pemindai tidak sah. Hubungi teknisi.'),
  KEYPAD_ABSENT: fault('Papan angka tidak terhubung.'),
  KEYPAD_IO: fault('Gangguan papan angka.'),
  KEYPAD_OVERFLOW: refuse('Ketikan terlalu panjang; dihapus. Ketik ulang.'),
  KEYPAD_CONFIG: fault('Konfigurasi papan angka tidak sah. Hubungi teknisi.'),
  CARD_MISMATCH: refuse('Bukan KTP-el nomor yang dipanggil. Ganti kartu.'),
  NOT_ON_ROSTER: refuse('KTP-el tidak ada di daftar kiriman. Sisihkan kartu.'),
  NO_OTHER_FINGER: refuse('Chip hanya memuat satu sidik jari.'),
  FP_NO_MATCH: { led: 'TEMPELKAN_JARI', pattern: 'slow', text: 'Sidik jari tidak cocok. Ulangi.', level: 'info' },
  ROSTER_INVALID: fault('Daftar kiriman ditolak (tanda tangan tidak sah).'),
  ROSTER_ALREADY_IMPORTED: refuse('Daftar kiriman ini sudah dimuat.'),
  ROSTER_WRONG_SITE: fault('Daftar kiriman ditolak: untuk kantor lain.'),
  ROSTER_TOO_LARGE: fault('Daftar kiriman ditolak: berkas terlalu besar.'),
  LEDGER_INCONSISTENT: fault('Register serah terima tidak cocok. Hubungi teknisi.'),
  DELIVERY_UNKNOWN_BATCH: refuse('Daftar kiriman untuk kartu ini belum dimuat.'),
  DELIVERY_ALREADY_RECORDED: refuse('Serah terima kiriman ini sudah dicatat.'),
  DELIVERY_BAD_UID: refuse('Ada UID kartu yang tidak sah dalam daftar pindaian.'),
  DAY_CLOSED: refuse('Pelayanan hari ini ditutup. Antrean dibuka lagi besok.'),
  DAY_ALREADY_CLOSED: refuse('Hari ini sudah ditutup.'),
  DAY_OPEN_TRANSACTION: refuse('Masih ada penduduk dilayani. Selesaikan atau BATAL dulu.'),
  DAY_TICKETS_LEASED: refuse('Nomor antrean masih dilayani di loket. Tunggu selesai.'),
  DAY_COUNT_INVALID: refuse('Jumlah fisik KTP-el harus bilangan bulat, 0 atau lebih.'),
  CASE_OPENED: fault('Casing kotak terbuka. Hubungi teknisi.'),
  // Ledger, data directory, clock (agent/ledger/errors.ts): the agent refuses to serve on most.
  LEDGER_MISSING: fault('Buku besar belum dibuat. Hubungi teknisi.'),
  LEDGER_EXISTS: refuse('Buku besar sudah ada; tidak dibuat ulang.'),
  LEDGER_IN_USE: fault('Buku besar dipakai program lain. Hubungi teknisi.'),
  LEDGER_UNREADABLE: fault('Buku besar rusak. Jangan dihapus; hubungi teknisi.'),
  LEDGER_TAMPERED: fault('Buku besar diubah di luar aplikasi. Hubungi Dinas.'),
  LEDGER_KEY_MISSING: fault('Kunci segel buku besar tidak ada. Hubungi teknisi.'),
  LEDGER_KEY_MISMATCH: fault('Kunci segel bukan milik kotak ini. Hubungi teknisi.'),
  DATA_DIR_READ_ONLY: fault('Penyimpanan tidak bisa ditulisi. Hubungi teknisi.'),
  DISK_FULL: fault('Penyimpanan penuh. Hubungi teknisi segera.'),
  CLOCK_NOT_SYNCED: { led: 'GANGGUAN', pattern: 'slow', text: 'Jam belum sinkron; antrean tetap unik. Periksa jaringan.', level: 'warn' },
  CLOCK_IMPLAUSIBLE: refuse('Tanggal kotak tidak masuk akal. Periksa jam.'),
  CONFIG_INVALID: fault('Konfigurasi tidak sah. Hubungi teknisi.'),
  // Capture guidance (matcher quality gate)
  NO_FINGER: retry('Tempelkan jari telunjuk pada sensor.'),
  PRESS_HARDER: retry('Tekan jari sedikit lebih kuat.'),
  PRESS_LIGHTER: retry('Tekan jari lebih ringan; jari mungkin basah.'),
  CENTER_FINGER: retry('Letakkan jari di tengah sensor.'),
  CLEAN_SENSOR: retry('Bersihkan permukaan sensor, lalu ulangi.'),
  // Card reader
  READER_ABSENT: fault('Pembaca kartu tidak terhubung.'),
  SERVICE_UNAVAILABLE: fault('Layanan pembaca kartu (pcscd) tidak berjalan.'),
  NO_CARD: refuse('Tidak ada kartu di pembaca.'),
  CARD_REMOVED: refuse('Kartu diangkat saat dibaca. Letakkan kembali.'),
  TRANSMIT_FAILED: refuse('Chip tidak menjawab. Letakkan ulang kartu.'),
  BAD_STATUS_WORD: refuse('Chip menolak perintah. Letakkan ulang kartu.'),
  SAM_ABSENT: fault('Kartu SAM tidak ada.'),
  SAM_REFUSED: fault('Kartu SAM menolak. Hubungi teknisi.'),
  AUTH_FAILED: refuse('Autentikasi chip gagal.'),
  SIGNATURE_INVALID: refuse('Tanda tangan data chip tidak sah.'),
  MALFORMED_DATA: refuse('Data chip rusak atau tidak terbaca.'),
  TIMEOUT: refuse('Waktu habis.'),
  CANCELED: { led: 'SIAP', pattern: 'on', text: 'Dibatalkan.', level: 'info' },
  // Fingerprint sensor
  ABSENT: fault('Sensor sidik jari tidak terhubung.'),
  DISCONNECTED: fault('Sensor sidik jari terlepas.'),
  BAD_FRAME: retry('Gambar sidik jari rusak. Ulangi.'),
  PROTOCOL: fault('Sensor sidik jari tidak merespons dengan benar.'),
  BUSY: fault('Sensor sidik jari sedang dipakai proses lain.'),
  // Printer
  PRINTER_ABSENT: fault('Printer tidak terhubung.'),
  PRINTER_OFFLINE: fault('Printer offline.'),
  PAPER_OUT: fault('Kertas printer habis. Ganti gulungan kertas.'),
  COVER_OPEN: fault('Tutup printer terbuka.'),
  CUTTER_ERROR: fault('Pemotong kertas macet.'),
  PRINTER_IO: fault('Gangguan komunikasi printer.'),
  PRINTER_TIMEOUT: fault('Printer tidak merespons.'),
  // Matcher (worker)
  INVALID_TEMPLATE: refuse('Templat sidik jari di chip rusak. Coba jari lain.'),
  INVALID_IMAGE: retry('Gambar sidik jari tidak sah. Ulangi.'),
  WORKER_CRASHED: fault('Pencocokan jari dimulai ulang. Ulangi.'),
  CLOSED: fault('Pencocokan sidik jari tidak berjalan. Hubungi teknisi.'),
  // Configuration (refused at start)
  PRINTER_CONFIG: fault('Konfigurasi printer tidak sah. Hubungi teknisi.'),
  PANEL_CONFIG: fault('Konfigurasi panel tidak sah. Hubungi teknisi.'),
  // Panel
  GPIO_UNAVAILABLE: fault('Panel tombol tidak tersedia.'),
  GPIO_LINE_NOT_FOUND: fault('Jalur GPIO panel tidak ditemukan.'),
  GPIO_IO: fault('Gangguan panel tombol.'),
  // Operator display (shown on the panel LEDs and in the log: the display itself may be dark)
  DISPLAY_ABSENT: fault('Layar operator tidak terdeteksi.'),
  DISPLAY_IO: fault('Gangguan layar operator.'),
  DISPLAY_CONFIG: fault('Konfigurasi layar tidak sah. Hubungi teknisi.'),
};

const UNKNOWN: OperatorMessage = fault('Gangguan tak dikenal. Hubungi teknisi.');

function isOperatorCode(code: string): code is OperatorCode {
  return Object.hasOwn(OPERATOR_MESSAGES, code);
}

/** Codes arrive from drivers and loaded modules at run time: an unplanned one still shows GANGGUAN. */
export function operatorMessage(code: string): OperatorMessage {
  return isOperatorCode(code) ? OPERATOR_MESSAGES[code] : UNKNOWN;
}
