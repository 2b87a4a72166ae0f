import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { timedatectlSynchronized } from '../doctor/checks/clock.ts';
import { purgePersonalData } from '../ledger/retention.ts';
import { recordOfProcessing } from '../reports/ropa.ts';
import { openLedger, tool } from './openLedger.ts';

/** `ektp-agent purge [--dry-run]` and `ektp-agent ropa [--out FILE]` (UU 27/2022). */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'clock-checked': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
    allowPositionals: true,
  });
  return tool(async () => {
    // A purge erases rows: on an edited ledger that is evidence gone. A dry run and the RoPA only read.
    const { config, ledger, close } = openLedger(values.config, positionals[0] === 'purge' && !values['dry-run'] ? 'write' : 'read');
    try {
      if (positionals[0] === 'purge') {
        const clockSynced = (await timedatectlSynchronized()) ?? null;
        const r = purgePersonalData(ledger, config.retention.personalDataDays, { dryRun: values['dry-run'], clockSynced, clockChecked: values['clock-checked'] });
        console.log(`${values['dry-run'] ? 'would erase' : 'erased'} personal data of ${r.residents} resident(s) past ${config.retention.personalDataDays} days`);
        return 0;
      }
      if (positionals[0] === 'ropa') {
        const text = JSON.stringify(recordOfProcessing(ledger, config), null, 2) + '\n';
        if (values.out) writeFileSync(values.out, text);
        else process.stdout.write(text);
        return 0;
      }
      console.error('usage: ektp-agent retention purge [--dry-run] [--clock-checked] | ektp-agent retention ropa [--out FILE]');
      return 2;
    } finally {
      close();
    }
  });
}
