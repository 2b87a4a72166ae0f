import { PROVINCES, REGENCIES, REGENCY_PROVINCES } from './regions.ts';

/**
 * NIK check (domain brief §1.2): `PP KK CC DDMMYY SSSS`, women have DD + 40. A NIK is lifelong and
 * never re-issued when it disagrees with the real birth date or sex, so such disagreements are
 * warnings, never errors; only a NIK that cannot be a NIK at all is an error.
 */
export type NikIssueCode =
  | 'NOT_16_DIGITS'
  | 'UNKNOWN_PROVINCE'
  | 'UNKNOWN_REGENCY'
  | 'ZERO_REGION'
  | 'BAD_BIRTH_DAY'
  | 'BAD_BIRTH_MONTH'
  | 'ZERO_SERIAL'
  | 'IMPOSSIBLE_DATE'
  | 'BIRTH_DATE_MISMATCH'
  | 'SEX_MISMATCH';

export interface NikIssue {
  readonly code: NikIssueCode;
  readonly message: string;
}

export interface NikParts {
  readonly provinceCode: string;
  readonly province?: string;
  readonly regencyCode: string;
  readonly regency?: string;
  readonly districtCode: string;
  readonly birthDay: number;
  readonly birthMonth: number;
  /** Two digits only: the century is not encoded. */
  readonly birthYearTwoDigits: number;
  readonly sex: 'LAKI-LAKI' | 'PEREMPUAN';
  readonly serial: string;
}

export interface NikResult {
  readonly ok: boolean;
  readonly errors: readonly NikIssue[];
  readonly warnings: readonly NikIssue[];
  readonly parts?: NikParts;
}

export interface NikContext {
  /** ISO `YYYY-MM-DD`, as on the card. */
  readonly birthDate?: string;
  readonly sex?: 'LAKI-LAKI' | 'PEREMPUAN';
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function validateNik(nik: string, context: NikContext = {}): NikResult {
  const errors: NikIssue[] = [];
  const warnings: NikIssue[] = [];
  if (!/^\d{16}$/.test(nik)) {
    errors.push({ code: 'NOT_16_DIGITS', message: 'NIK must be exactly 16 digits' });
    return { ok: false, errors, warnings };
  }
  const provinceCode = nik.slice(0, 2);
  const regencyCode = nik.slice(0, 4);
  const districtCode = nik.slice(0, 6);
  const rawDay = Number(nik.slice(6, 8));
  const birthMonth = Number(nik.slice(8, 10));
  const birthYearTwoDigits = Number(nik.slice(10, 12));
  const serial = nik.slice(12);
  const province = PROVINCES[provinceCode];
  const regency = REGENCIES[regencyCode];

  if (!province) errors.push({ code: 'UNKNOWN_PROVINCE', message: `province code ${provinceCode} does not exist` });
  if (nik.slice(2, 4) === '00' || nik.slice(4, 6) === '00') {
    errors.push({ code: 'ZERO_REGION', message: 'kabupaten/kota and kecamatan codes start at 01' });
  } else if (!regency && REGENCY_PROVINCES.has(provinceCode)) {
    errors.push({ code: 'UNKNOWN_REGENCY', message: `kabupaten/kota code ${regencyCode} does not exist in ${province}` });
  }
  const female = rawDay > 40;
  const birthDay = female ? rawDay - 40 : rawDay;
  if (birthDay < 1 || birthDay > 31) errors.push({ code: 'BAD_BIRTH_DAY', message: 'birth day must be 01-31, or 41-71 for women' });
  if (birthMonth < 1 || birthMonth > 12) errors.push({ code: 'BAD_BIRTH_MONTH', message: 'birth month must be 01-12' });
  if (serial === '0000') errors.push({ code: 'ZERO_SERIAL', message: 'serial numbers start at 0001' });

  const sex = female ? 'PEREMPUAN' : 'LAKI-LAKI';
  if (errors.length === 0) {
    if (birthDay > DAYS_IN_MONTH[birthMonth - 1]) {
      warnings.push({ code: 'IMPOSSIBLE_DATE', message: `day ${birthDay} does not exist in month ${birthMonth}` });
    }
    if (context.sex !== undefined && context.sex !== sex) {
      warnings.push({ code: 'SEX_MISMATCH', message: `NIK encodes ${sex}, the record says ${context.sex}` });
    }
    if (context.birthDate !== undefined) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(context.birthDate);
      const same = m !== null && Number(m[3]) === birthDay && Number(m[2]) === birthMonth && Number(m[1]) % 100 === birthYearTwoDigits;
      if (!same) {
        warnings.push({ code: 'BIRTH_DATE_MISMATCH', message: 'NIK birth date differs from the recorded birth date' });
      }
    }
  }
  const parts: NikParts = {
    provinceCode,
    province,
    regencyCode,
    regency,
    districtCode,
    birthDay,
    birthMonth,
    birthYearTwoDigits,
    sex,
    serial,
  };
  return { ok: errors.length === 0, errors, warnings, parts };
}

/** First 6 and last 4 digits, middle masked (slips and logs). */
export function maskNik(nik: string): string {
  if (nik.length <= 10) return '*'.repeat(nik.length);
  return nik.slice(0, 6) + '*'.repeat(nik.length - 10) + nik.slice(-4);
}
