/**
 * The structural NIK check the roster import needs: 16 digits, a plausible birth date field
 * (DD or DD+40 for women). The full regional and consistency validation lives with the card
 * driver (drivers/card/nik.ts); this only keeps garbage out of the ledger.
 */
export function validateNikFormat(nik: unknown): string | null {
  if (typeof nik !== 'string' || !/^\d{16}$/.test(nik)) return 'must be 16 digits';
  const day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return 'has an impossible birth day';
  if (month < 1 || month > 12) return 'has an impossible birth month';
  return null;
}
