import type {
  BeritaAcaraData,
  DailyReportData,
  DataCheckData,
  QueueTicketData,
  ReceiptData,
  ResultSlipData,
  SlipSite,
} from './types.ts';

/**
 * Fictitious inputs for every slip kind, used by `npm run slips`, the demo and the golden tests.
 * The NIKs are made up (region 340404 = Depok, Sleman; serials 9xxx) and belong to nobody.
 */
export const SAMPLE_SITE: SlipSite = {
  office: 'DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL',
  region: 'KABUPATEN SLEMAN',
  site: 'KANTOR KECAMATAN DEPOK',
  counter: 'LOKET 2',
  zone: 'WIB',
};

const AT = '2026-11-27T01:15:00Z';
const TX = '7f3c9a2e-5b1d-4c8e-9f60-2a4d8b1e6c37';

export const SAMPLE_PERSON = {
  nik: '3404041708859001',
  name: 'BUDI SANTOSO WIBOWO',
  birthPlace: 'SLEMAN',
  birthDate: '1985-08-17',
  sex: 'LAKI-LAKI',
  address: 'JL. KALIURANG KM 7,5 GG. MERPATI NO. 12',
  rtRw: '004/012',
  kelDesa: 'CATURTUNGGAL',
  kecamatan: 'DEPOK',
  religion: 'ISLAM',
  maritalStatus: 'KAWIN',
  occupation: 'KARYAWAN SWASTA',
  citizenship: 'WNI',
  validUntil: 'SEUMUR HIDUP',
} as const;

export const SAMPLES = {
  queueTicket: { site: SAMPLE_SITE, queueNumber: 'A012', at: AT, waitingAhead: 4 } satisfies QueueTicketData,
  dataCheck: { site: SAMPLE_SITE, queueNumber: 'A012', at: AT, person: SAMPLE_PERSON, txId: TX } satisfies DataCheckData,
  resultBerhasil: {
    site: SAMPLE_SITE,
    at: '2026-11-27T01:19:00Z',
    queueNumber: 'A012',
    person: SAMPLE_PERSON,
    result: 'berhasil',
    operator: 'SRI LESTARI',
    txId: TX,
    reason: null,
    disputed: false,
  } satisfies ResultSlipData,
  resultGagal: {
    site: SAMPLE_SITE,
    at: '2026-11-27T01:21:00Z',
    queueNumber: 'A013',
    person: { nik: '3404045203909002', name: 'SITI RAHAYU' },
    result: 'gagal',
    operator: 'SRI LESTARI',
    txId: '0b8e4d21-93aa-4f57-8c2e-61d7f0a9b4c5',
    reason: 'fp_no_match',
    disputed: false,
  } satisfies ResultSlipData,
  resultDisputed: {
    site: SAMPLE_SITE,
    at: '2026-11-27T01:25:00Z',
    queueNumber: 'A014',
    person: { nik: '3404040101709003', name: 'ANDRÉ MÜLLER ŁUKASZ' },
    result: 'berhasil',
    operator: 'SRI LESTARI',
    txId: '5c2a7e90-1f3b-4d6a-b8e2-9d0c4f7a1e63',
    reason: 'data_disputed',
    disputed: true,
  } satisfies ResultSlipData,
  receipt: {
    site: SAMPLE_SITE,
    at: '2026-11-27T01:20:00Z',
    queueNumber: 'A012',
    person: SAMPLE_PERSON,
    operator: 'SRI LESTARI',
    txId: TX,
    disputed: false,
    copy: 'penerima',
  } satisfies ReceiptData,
  beritaAcara: {
    type: 'pemusnahan',
    number: '470/BA-017/DPK/XI/2026',
    at: '2026-11-27T09:00:00Z',
    site: SAMPLE_SITE,
    pihakPertama: { name: 'SRI LESTARI', position: 'Petugas Loket Pelayanan KTP-el' },
    pihakKedua: { name: 'DRS. HARTONO, M.SI', position: 'Kepala Bidang PIAK', nip: '197103151998031004' },
    items: [
      { nik: '3404046204929004', name: 'RINA KUSUMAWATI', reason: 'Kartu rusak (chip tidak terbaca)' },
      { nik: '3404041111889005', name: 'AGUS PRASETYO', reason: 'Salah cetak data, terbit ulang' },
      { nik: '3404042907959006', name: 'MUHAMMAD RIZKY FADILLAH RAMADHAN', reason: 'Tidak berlaku' },
    ],
  } satisfies BeritaAcaraData,
  dailyReport: {
    site: SAMPLE_SITE,
    at: '2026-11-27T09:05:00Z',
    date: '2026-11-27',
    operator: 'SRI LESTARI',
    queue: { issued: 42, served: 38, noShow: 3, cancelled: 1 },
    results: { berhasil: 35, gagal: 3, disputed: 2 },
    cards: { opening: 120, received: 0, handedOver: 35, returnedForDestruction: 3, closingCounted: 82 },
    oldKtp: { received: 38, returned: 3, handedToDinas: 0 },
    reprints: 1,
  } satisfies DailyReportData,
} as const;
