import type { Config } from '../config/types.ts';
import { Batches } from '../ledger/batches.ts';
import { dailyCounts, type DailyCounts } from '../ledger/dailyReport.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Reconciliation } from '../ledger/reconcile.ts';

export interface ReconciliationReport {
  readonly site: string;
  readonly counter: string;
  readonly generatedAt: string;
  readonly day: DailyCounts;
  readonly reconciliation: Reconciliation;
  readonly batches: ReadonlyArray<{ readonly number: string; readonly kind: string; readonly items: number; readonly signedAt: string | null }>;
}

/** End-of-day reconciliation for export; counts only, no names or NIKs. */
export function reconciliationReport(ledger: Ledger, config: Config, day?: string): ReconciliationReport {
  return {
    site: config.site.id,
    counter: config.counter.id,
    generatedAt: ledger.now().toISOString(),
    day: dailyCounts(ledger, day),
    reconciliation: ledger.reconcile(),
    batches: new Batches(ledger).list().map((b) => ({ number: b.number, kind: b.kind, items: b.lines.length, signedAt: b.signedAt })),
  };
}

/** One row per item kind and state, plus the balance check, for a spreadsheet. */
export function reconciliationCsv(r: ReconciliationReport): string {
  const rows = [['site', 'counter', 'date', 'item', 'state', 'count', 'received', 'balanced']];
  for (const [kind, balance] of Object.entries(r.reconciliation.items)) {
    for (const [state, count] of Object.entries(balance.byState)) {
      rows.push([r.site, r.counter, r.day.date, kind, state, String(count), String(balance.received), balance.ok ? 'ya' : 'TIDAK']);
    }
  }
  return rows.map((row) => row.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\n') + '\n';
}
