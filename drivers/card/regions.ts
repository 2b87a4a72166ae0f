/**
 * Region codes for NIK digits 1-4, from the Kemendagri region code list (Permendagri on
 * "Kode dan Data Wilayah Administrasi Pemerintahan"). A table, not ranges: codes have gaps.
 * Provinces are complete, including the 2022 Papua splits (93-96); NIKs issued before the split
 * keep 91/92, because a NIK never changes. Kabupaten/kota are embedded for a few provinces only;
 * `REGENCY_PROVINCES` lists which, so an unknown regency elsewhere is not reported.
 */
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': 'ACEH',
  '12': 'SUMATERA UTARA',
  '13': 'SUMATERA BARAT',
  '14': 'RIAU',
  '15': 'JAMBI',
  '16': 'SUMATERA SELATAN',
  '17': 'BENGKULU',
  '18': 'LAMPUNG',
  '19': 'KEPULAUAN BANGKA BELITUNG',
  '21': 'KEPULAUAN RIAU',
  '31': 'DKI JAKARTA',
  '32': 'JAWA BARAT',
  '33': 'JAWA TENGAH',
  '34': 'DI YOGYAKARTA',
  '35': 'JAWA TIMUR',
  '36': 'BANTEN',
  '51': 'BALI',
  '52': 'NUSA TENGGARA BARAT',
  '53': 'NUSA TENGGARA TIMUR',
  '61': 'KALIMANTAN BARAT',
  '62': 'KALIMANTAN TENGAH',
  '63': 'KALIMANTAN SELATAN',
  '64': 'KALIMANTAN TIMUR',
  '65': 'KALIMANTAN UTARA',
  '71': 'SULAWESI UTARA',
  '72': 'SULAWESI TENGAH',
  '73': 'SULAWESI SELATAN',
  '74': 'SULAWESI TENGGARA',
  '75': 'GORONTALO',
  '76': 'SULAWESI BARAT',
  '81': 'MALUKU',
  '82': 'MALUKU UTARA',
  '91': 'PAPUA',
  '92': 'PAPUA BARAT',
  '93': 'PAPUA SELATAN',
  '94': 'PAPUA TENGAH',
  '95': 'PAPUA PEGUNUNGAN',
  '96': 'PAPUA BARAT DAYA',
};

export const REGENCIES: Readonly<Record<string, string>> = {
  // DKI Jakarta
  '3101': 'KEPULAUAN SERIBU',
  '3171': 'JAKARTA SELATAN',
  '3172': 'JAKARTA TIMUR',
  '3173': 'JAKARTA PUSAT',
  '3174': 'JAKARTA BARAT',
  '3175': 'JAKARTA UTARA',
  // DI Yogyakarta
  '3401': 'KULON PROGO',
  '3402': 'BANTUL',
  '3403': 'GUNUNGKIDUL',
  '3404': 'SLEMAN',
  '3471': 'KOTA YOGYAKARTA',
  // Banten
  '3601': 'PANDEGLANG',
  '3602': 'LEBAK',
  '3603': 'TANGERANG',
  '3604': 'SERANG',
  '3671': 'KOTA TANGERANG',
  '3672': 'KOTA CILEGON',
  '3673': 'KOTA SERANG',
  '3674': 'KOTA TANGERANG SELATAN',
  // Bali
  '5101': 'JEMBRANA',
  '5102': 'TABANAN',
  '5103': 'BADUNG',
  '5104': 'GIANYAR',
  '5105': 'KLUNGKUNG',
  '5106': 'BANGLI',
  '5107': 'KARANGASEM',
  '5108': 'BULELENG',
  '5171': 'KOTA DENPASAR',
};

/** Provinces whose kabupaten/kota list above is complete. */
export const REGENCY_PROVINCES: ReadonlySet<string> = new Set(['31', '34', '36', '51']);
