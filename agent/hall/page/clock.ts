/** The board's clock in the site's time zone, in Indonesian: "10.45 WIB", "Sabtu, 5 Desember 2026". */
const ZONE_NAMES: Readonly<Record<string, string>> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

export function clockText(now: Date, timeZone: string): { time: string; date: string } {
  const time = new Intl.DateTimeFormat('id-ID', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  const date = new Intl.DateTimeFormat('id-ID', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now);
  return { time: `${time} ${ZONE_NAMES[timeZone] ?? ''}`.trim(), date };
}
