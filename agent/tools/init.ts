import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import { initLedgerFiles, ledgerExists } from '../ledger/open.ts';
import { tool } from './openLedger.ts';

/**
 * `ektp-agent init [--config FILE] [--if-missing]`: the explicit first run. Creates the data directory, the
 * ledger's chain key (outside the data directory on a real box) and an empty sealed ledger. The
 * agent itself never creates a ledger: a missing or empty one stops it with LEDGER_MISSING.
 */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, 'if-missing': { type: 'boolean', default: false } } });
  return tool(() => {
    const config = loadConfig(values.config);
    // scripts/install and run-sim run it every time: an existing, non-empty ledger is left as it is.
    if (values['if-missing'] && ledgerExists(config.dataDir)) {
      console.log(`${config.dataDir}: ledger already there; nothing to do`);
      return 0;
    }
    const r = initLedgerFiles({ dataDir: config.dataDir, keyFile: config.ledger.keyFile });
    console.log(`created ${r.path}, sealed with key ${r.key.id}${r.keyCreated ? ` (new key ${config.ledger.keyFile}, mode 0600)` : ` (existing key ${config.ledger.keyFile})`}`);
    return 0;
  });
}
