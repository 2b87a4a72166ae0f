/**
 * NIK as printed on anything that leaves the desk: first 6 digits (region of first registration)
 * and last 4 (serial) kept, the birth-date digits in between starred. Anything that is not a
 * 16-digit NIK is starred in full, so a malformed value can never leak whole.
 */
export function maskNik(nik: string): string {
  const digits = nik.replace(/[\s.-]/g, '');
  if (!/^\d{16}$/.test(digits)) return '*'.repeat(Math.max(digits.length, 16));
  return `${digits.slice(0, 6)}${'*'.repeat(6)}${digits.slice(12)}`;
}

/**
 * The full NIK in its three parts (region, birth date, serial: "340404 170885 9001"), for the one
 * slip where the resident compares it with the card (dataCheck.ts says why). A value that is not
 * a 16-digit NIK is printed as it is, so the resident sees what the chip really holds.
 */
export function groupNik(nik: string): string {
  const digits = nik.replace(/[\s.-]/g, '');
  if (!/^\d{16}$/.test(digits)) return nik;
  return `${digits.slice(0, 6)} ${digits.slice(6, 12)} ${digits.slice(12)}`;
}
