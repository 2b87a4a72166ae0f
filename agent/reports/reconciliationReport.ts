import type { Config } from '../config/types.ts';
import { Batches } from '../ledger/batches.ts';
import { dailyCounts, type DailyCounts } from '../ledger/dailyReport.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Reconciliation } from '../ledger/reconcile.ts';
import { correctionReferrals } from '../ledger/correctionReferrals.ts';
import { correctionReasonText } from '../slips/common.ts';
import { maskNik } from '../slips/mask.ts';

export interface ReconciliationReport {
  readonly site: string;
  readonly counter: string;
  readonly generatedAt: string;
  readonly day: DailyCounts;
  readonly reconciliation: Reconciliation;
  readonly batches: ReadonlyArray<{ readonly number: string; readonly kind: string; readonly items: number; readonly signedAt: string | null }>;
  /** How many residents of the day are to be invited for data correction (list: correctionCsv). */
  readonly dataCorrection: { readonly dataMismatch: number; readonly disputedDataCorrect: number };
}

/** End-of-day reconciliation for export; counts only, no names or NIKs. */
export function reconciliationReport(ledger: Ledger, config: Config, day?: string): ReconciliationReport {
  const referrals = correctionReferrals(ledger, day);
  return {
    site: config.site.id,
    counter: config.counter.id,
    generatedAt: ledger.now().toISOString(),
    day: dailyCounts(ledger, day),
    reconciliation: ledger.reconcile(),
    batches: new Batches(ledger).list().map((b) => ({ number: b.number, kind: b.kind, items: b.lines.length, signedAt: b.signedAt })),
    dataCorrection: {
      dataMismatch: referrals.filter((r) => r.reason === 'data_mismatch').length,
      disputedDataCorrect: referrals.filter((r) => r.reason === 'data_disputed').length,
    },
  };
}

/**
 * The residents of the day to be invited for data correction (SOP step 17), for the Dinas: one
 * row each with the name and the NIK masked (UU 27/2022; the Dinas has the full record in SIAK).
 */
export function correctionCsv(ledger: Ledger, config: Config, day?: string): string {
  const rows = [['site', 'counter', 'date', 'queue', 'letter_no', 'name', 'nik_masked', 'keterangan']];
  const date = day ?? ledger.day();
  for (const r of correctionReferrals(ledger, date)) {
    rows.push([config.site.id, config.counter.id, date, r.queueNumber, r.letterNo, r.name ?? '', r.nik ? maskNik(r.nik) : '', correctionReasonText(r.reason)]);
  }
  return toCsv(rows);
}

function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\n') + '\n';
}

/** One row per item kind and state, plus the balance check, for a spreadsheet. */
export function reconciliationCsv(r: ReconciliationReport): string {
  const rows = [['site', 'counter', 'date', 'item', 'state', 'count', 'received', 'balanced']];
  for (const [kind, balance] of Object.entries(r.reconciliation.items)) {
    for (const [state, count] of Object.entries(balance.byState)) {
      rows.push([r.site, r.counter, r.day.date, kind, state, String(count), String(balance.received), balance.ok ? 'ya' : 'TIDAK']);
    }
  }
  return toCsv(rows);
}
