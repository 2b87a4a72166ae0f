import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reconciliationCsv, reconciliationReport } from '../reports/reconciliationReport.ts';
import { openLedger, tool } from './openLedger.ts';

/** `ektp-agent report daily [--config FILE] [--date YYYY-MM-DD] [--out DIR]`: reconciliation as JSON and CSV. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'daily') {
    console.error('usage: ektp-agent report daily [--config FILE] [--date YYYY-MM-DD] [--out DIR]');
    return 2;
  }
  return tool(() => {
    const { config, ledger, close } = openLedger(values.config);
    try {
      const report = reconciliationReport(ledger, config, values.date);
      if (!values.out) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        mkdirSync(values.out, { recursive: true });
        const base = join(values.out, `rekonsiliasi-${report.day.date}`);
        writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
        writeFileSync(`${base}.csv`, reconciliationCsv(report));
        console.log(`wrote ${base}.json and ${base}.csv; reconciliation ${report.reconciliation.ok ? 'balances' : 'DOES NOT balance'}`);
      }
      return report.reconciliation.ok ? 0 : 1;
    } finally {
      close();
    }
  });
}
