import type { ZoneLabel } from './types.ts';

const OFFSET_HOURS: Readonly<Record<ZoneLabel, number>> = { WIB: 7, WITA: 8, WIT: 9 };
const MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];
const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];

/**
 * Wall-clock parts in the site's zone. Indonesia has no daylight saving, so a fixed offset is
 * exact, and the host's TZ setting (often UTC on an appliance) cannot change a printed time.
 */
function local(iso: string, zone: ZoneLabel): Date {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not an ISO timestamp: ${iso}`);
  return new Date(t + OFFSET_HOURS[zone] * 3_600_000);
}

const two = (n: number) => String(n).padStart(2, '0');

/** "27-11-2026 08:15 WIB" */
export function dateTime(iso: string, zone: ZoneLabel): string {
  const d = local(iso, zone);
  return `${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} ${zone}`;
}

/** "08:15 WIB" */
export function time(iso: string, zone: ZoneLabel): string {
  const d = local(iso, zone);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} ${zone}`;
}

/** "Jumat, 27 November 2026" */
export function longDate(iso: string, zone: ZoneLabel): string {
  const d = local(iso, zone);
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Card date "1985-08-17" -> "17-08-1985"; anything else (e.g. SEUMUR HIDUP) unchanged. */
export function cardDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : value;
}

/** "2026-11-27" -> "27 November 2026" */
export function dayName(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}
