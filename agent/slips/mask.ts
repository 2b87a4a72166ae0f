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
