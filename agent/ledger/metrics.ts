import type { CounterMetrics } from '../events.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';

/** Today's counts for the metrics topic and the daily report; no personal data. */
export function dailyMetrics(ledger: Ledger, day = ledger.day()): CounterMetrics {
  const db = ledgerDatabase(ledger);
  const rows = db
    .prepare(
      `SELECT x.outcome, x.reason, x.attempts, x.started_at, x.closed_at
         FROM transactions x JOIN tickets k ON k.id = x.ticket_id
        WHERE k.day = ? AND x.closed_at IS NOT NULL`,
    )
    .all(day) as { outcome: string; reason: string | null; attempts: number; started_at: string; closed_at: string }[];
  const served = rows.filter((r) => r.outcome === 'berhasil' || r.outcome === 'gagal');
  const histogram: Record<string, number> = {};
  for (const r of served) histogram[String(r.attempts)] = (histogram[String(r.attempts)] ?? 0) + 1;
  const durations = served.map((r) => (Date.parse(r.closed_at) - Date.parse(r.started_at)) / 1000);
  return {
    queueWaiting: ledger.waitingCount(),
    served: served.length,
    berhasil: served.filter((r) => r.outcome === 'berhasil').length,
    gagal: served.filter((r) => r.outcome === 'gagal').length,
    disputed: served.filter((r) => r.reason === 'data_disputed' || r.reason === 'data_mismatch').length,
    cancelled: rows.filter((r) => r.outcome === 'batal').length,
    avgServiceSeconds: durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) : null,
    fpAttemptsHistogram: histogram,
  };
}
