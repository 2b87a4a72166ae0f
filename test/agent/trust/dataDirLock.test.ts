/**
 * Issue #16, "two agents on one data directory" and "a zero-byte ledger silently becomes a new
 * empty one": the second agent is refused with LEDGER_IN_USE while the first serves on; a missing
 * or empty ledger stops the agent with its code, and only `ektp-agent init` creates one.
 */
import t from 'tap';
import { existsSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openSimCounter } from '../../../agent/sim/simCounter.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { cli, startAgent, writeConfig } from '../../helpers/cli.ts';

t.test('a second agent on the same data directory is refused; the first one is untouched', async (t) => {
  const dir = t.testdir();
  const config = writeConfig(dir, join(dir, 'data'));
  t.equal(cli(['init', '--config', config]).status, 0);
  const first = await startAgent(config);
  const second = cli(['run', '--config', config]);
  t.equal(second.status, 6, 'LEDGER_IN_USE exit status');
  t.match(second.stderr, /in use by another ektp-agent.*\(LEDGER_IN_USE\)/);
  t.notMatch(first.output(), /interrupted/, 'the first agent lost nothing');
  t.equal(await first.stop(), 0, 'the first agent stops cleanly');
  const v = cli(['verify-ledger', '--db', join(dir, 'data', 'ledger.sqlite'), '--config', config]);
  t.equal(v.status, 0, v.stdout + v.stderr);
  // With the first one gone, the lock is free again.
  const again = await startAgent(config);
  t.equal(await again.stop(), 0);
});

t.test('in one process too: a second counter on the same directory is refused', async (t) => {
  const dataDir = t.testdir();
  const a = await openSimCounter({ residents: 2, seed: 1, dataDir, logger: silentLogger });
  t.teardown(() => a.close());
  await t.rejects(openSimCounter({ residents: 2, seed: 1, dataDir, logger: silentLogger }), { code: 'LEDGER_IN_USE' });
});

t.test('the agent never creates a ledger: missing and empty are coded refusals', async (t) => {
  const dir = t.testdir();
  const dataDir = join(dir, 'data');
  const config = writeConfig(dir, dataDir);
  const missing = cli(['run', '--config', config]);
  t.equal(missing.status, 5, 'LEDGER_MISSING');
  t.match(missing.stderr, /ektp-agent init/);
  t.notOk(existsSync(join(dataDir, 'ledger.sqlite')), 'nothing was created');

  t.equal(cli(['init', '--config', config]).status, 0);
  t.ok(statSync(join(dataDir, 'ledger.sqlite')).size > 0);
  t.equal((statSync(join(dataDir, 'ledger.sqlite')).mode & 0o777).toString(8), '600', 'the ledger is 0600');
  t.equal(cli(['init', '--config', config]).status, 1, 'init never replaces a ledger');
  t.equal(cli(['init', '--if-missing', '--config', config]).status, 0, '--if-missing leaves it alone');

  truncateSync(join(dataDir, 'ledger.sqlite'), 0);
  for (const f of ['ledger.sqlite-wal', 'ledger.sqlite-shm']) if (existsSync(join(dataDir, f))) unlinkSync(join(dataDir, f));
  const empty = cli(['run', '--config', config]);
  t.equal(empty.status, 4, 'LEDGER_UNREADABLE');
  t.match(empty.stderr, /empty \(0 bytes\).*\(LEDGER_UNREADABLE\)/);
  t.notMatch(empty.stdout + empty.stderr, /counter ready/);
  t.equal(statSync(join(dataDir, 'ledger.sqlite')).size, 0, 'the empty file is kept as evidence');
  t.equal(cli(['init', '--if-missing', '--config', config]).status, 4, 'init does not paper over an empty ledger either');
});
