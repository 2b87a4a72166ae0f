import type { Config } from '../config/types.ts';
import { correctionReferrals } from '../ledger/correctionReferrals.ts';
import { dailyCounts, type DailyCounts } from '../ledger/dailyReport.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { DailyReportData } from '../slips/types.ts';
import { slipSite } from '../transaction/slipBuilder.ts';

/**
 * What the daily report slip prints, from the ledger: the panel (long press), Counter.closeDay and
 * `close-day` share it. `reprints` comes from the print queue (PrintQueue.reprintCount).
 */
export function dailyReportData(ledger: Ledger, config: Config, reprints: number, counts: DailyCounts = dailyCounts(ledger)): DailyReportData {
  return {
    site: slipSite(config),
    at: ledger.now().toISOString(),
    date: counts.date,
    operator: config.counter.operatorId,
    queue: counts.queue,
    documentsAtClose: counts.closing?.documents ?? null,
    results: counts.results,
    cards: { ...counts.cards, closingCounted: counts.closing?.cardsCounted ?? null },
    oldKtp: { received: counts.oldKtp.received, returned: counts.oldKtp.returned, handedToDinas: counts.oldKtp.handedOver, awaitingReturn: counts.oldKtp.awaitingReturn },
    reprints,
    // The anchor outside the box: the chain head when the report printed (docs/appliance.md).
    ledgerSeal: ledger.chainHead(),
    correction: correctionReferrals(ledger, counts.date),
  };
}
