import type { Biodata, FingerPosition } from '../../drivers/card/types.ts';

/**
 * Virtual residents for the simulated counter, the demo and tests: plausible Indonesian biodata
 * with a valid-format NIK, a summons letter number, a card UID and one synthetic master finger
 * per index finger. Deterministic from a seed; no real person's data.
 */
export interface VirtualResident {
  readonly index: number;
  readonly biodata: Biodata;
  readonly letterNo: string;
  readonly cardUid: string;
  /** Seeds of the master prints (matcher/synth) of each index finger. */
  readonly fingerSeeds: Readonly<Record<FingerPosition, number>>;
}

const GIVEN_M = ['BUDI', 'AGUS', 'JOKO', 'ANDI', 'RUDI', 'HENDRA', 'DEDI', 'IWAN', 'YUDI', 'SLAMET', 'BAMBANG', 'EKO', 'WAHYU', 'RIZKY', 'FAJAR', 'ARIF'];
const GIVEN_F = ['SITI', 'DEWI', 'SRI', 'RINA', 'NUR', 'ANI', 'LESTARI', 'WULAN', 'INDAH', 'FITRI', 'RATNA', 'YUNI', 'MEGA', 'AYU', 'PUTRI', 'DIAN'];
const FAMILY = ['SANTOSO', 'WIJAYA', 'HIDAYAT', 'SETIAWAN', 'PRATAMA', 'SAPUTRA', 'KUSUMA', 'NUGROHO', 'LESTARI', 'RAHAYU', 'SUSANTI', 'HARAHAP', 'SIREGAR', 'NASUTION', 'WIBOWO', 'PURNOMO'];
const PLACES = ['BANDUNG', 'GARUT', 'CIAMIS', 'TASIKMALAYA', 'CIREBON', 'SUMEDANG', 'BOGOR', 'BEKASI'];
const STREETS = ['JL. MERDEKA', 'JL. SUDIRMAN', 'JL. DIPONEGORO', 'JL. CIHAMPELAS', 'GG. MAWAR', 'JL. PASIR KALIKI', 'JL. DAGO', 'KP. SUKAMAJU'];
const KELURAHAN = ['LEBAKGEDE', 'SEKELOA', 'DAGO', 'LEBAKSILIWANGI', 'CIPAGANTI', 'SADANG SERANG'];
const RELIGIONS = ['ISLAM', 'ISLAM', 'ISLAM', 'KRISTEN', 'KATOLIK', 'HINDU', 'BUDDHA', 'KONGHUCU'];
const JOBS = ['KARYAWAN SWASTA', 'WIRASWASTA', 'PELAJAR/MAHASISWA', 'MENGURUS RUMAH TANGGA', 'PEGAWAI NEGERI SIPIL', 'PETANI/PEKEBUN', 'GURU'];
const BLOOD: Biodata['bloodType'][] = ['A', 'B', 'AB', 'O', '-'];

/** Small deterministic generator (mulberry32) so residents do not depend on the matcher's PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Kota Bandung, Kecamatan Coblong: 32 73 02 (Kemendagri region codes). */
const REGION = { prov: '32', kab: '73', kec: '02', provName: 'JAWA BARAT', kabName: 'KOTA BANDUNG', kecName: 'COBLONG' };

export function makeResident(seed: number, index: number): VirtualResident {
  const r = prng((seed * 1_000_003 + index * 7919) >>> 0);
  const female = r() < 0.5;
  const year = 1950 + Math.floor(r() * 55);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const serial = 1 + ((index * 37 + seed) % 9000);
  const nik = `${REGION.prov}${REGION.kab}${REGION.kec}${pad(female ? day + 40 : day, 2)}${pad(month, 2)}${pad(year % 100, 2)}${pad(serial, 4)}`;
  const name = `${pick(r, female ? GIVEN_F : GIVEN_M)} ${pick(r, FAMILY)}`;
  const biodata: Biodata = {
    nik,
    name,
    birthPlace: pick(r, PLACES),
    birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
    sex: female ? 'PEREMPUAN' : 'LAKI-LAKI',
    bloodType: pick(r, BLOOD),
    address: `${pick(r, STREETS)} NO. ${1 + Math.floor(r() * 120)}`,
    rtRw: `${pad(1 + Math.floor(r() * 12), 3)}/${pad(1 + Math.floor(r() * 9), 3)}`,
    kelDesa: pick(r, KELURAHAN),
    kecamatan: REGION.kecName,
    kabupatenKota: REGION.kabName,
    provinsi: REGION.provName,
    religion: pick(r, RELIGIONS),
    maritalStatus: year < 1995 ? 'KAWIN' : 'BELUM KAWIN',
    occupation: pick(r, JOBS),
    citizenship: 'WNI',
    validUntil: 'SEUMUR HIDUP',
    issuePlace: REGION.kabName,
    issueDate: '2026-11-02',
  };
  const uid = Array.from({ length: 6 }, () => Math.floor(r() * 256).toString(16).padStart(2, '0')).join('').toUpperCase();
  return {
    index,
    biodata,
    letterNo: `SP/${REGION.prov}${REGION.kab}${REGION.kec}/${year}/${pad(index + 1, 5)}`,
    cardUid: `04${uid}`,
    fingerSeeds: { right_index: (seed * 100_000 + index * 2 + 1) >>> 0, left_index: (seed * 100_000 + index * 2 + 2) >>> 0 },
  };
}

export function makeResidents(seed: number, count: number): VirtualResident[] {
  return Array.from({ length: count }, (_, i) => makeResident(seed, i));
}
