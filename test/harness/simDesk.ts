import { join } from 'node:path';
import { parseConfig } from '../../agent/config/load.ts';
import type { Config } from '../../agent/config/types.ts';
import { assembleIntake, type AssembledIntake } from '../../agent/intake/assemble.ts';
import { initLedgerFiles } from '../../agent/ledger/open.ts';
import { makeResidents, type VirtualResident } from '../../agent/sim/residents.ts';
import { virtualRoster } from '../../agent/sim/roster.ts';
import { silentLogger } from '../../drivers/logger.ts';

/**
 * A standalone intake desk (no office link) in `dir` on a sealed ledger, with `residents`
 * virtual residents of `seed` imported, started. `recheckIntervalS`: how often the desk
 * re-verifies its ledger on its own timer (3600: only when a test asks).
 */
export async function openSimDesk(opts: {
  dir: string;
  seed: number;
  residents: number;
  recheckIntervalS: number;
  teardown: (fn: () => unknown) => void;
}): Promise<{ intake: AssembledIntake; residents: VirtualResident[]; config: Config; dataDir: string; file: string }> {
  const dataDir = join(opts.dir, 'data');
  const config = parseConfig(
    {
      dataDir,
      role: 'intake',
      site: { id: 'kec-demo' },
      counter: { id: 'meja-1', label: 'MEJA PENDAFTARAN' },
      ledger: { keyFile: join(opts.dir, 'chain.key'), recheckIntervalS: opts.recheckIntervalS },
    },
    'test',
  );
  initLedgerFiles({ dataDir, keyFile: config.ledger.keyFile });
  const intake = await assembleIntake({ config, logger: silentLogger });
  opts.teardown(() => intake.close());
  const residents = makeResidents(opts.seed, opts.residents);
  intake.importRoster(virtualRoster(residents, 'kec-demo', `VIRTUAL-${opts.seed}-${opts.residents}`, new Date().toISOString()));
  intake.start();
  return { intake, residents, config, dataDir, file: join(dataDir, 'ledger.sqlite') };
}
