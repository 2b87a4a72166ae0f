import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runOfficeBench } from '../../harness/officeBench.ts';

/**
 * The office under faults, at suite size: a real mosquitto, the intake desk and three counters
 * as separate processes, SIGKILL of a random one at random moments and two broker restarts.
 * `npm run bench:office -- --counters 3 --residents 200 --kills 50` is the full-size run.
 */
t.test('office: kill -9 of random boxes and broker restarts lose no ticket, serve none twice, keep custody whole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-faults-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runOfficeBench({ counters: 3, residents: 18, kills: 10, brokerRestarts: 2, seed: 11, dir, timeoutMs: 170_000 });
  t.ok(r.finished, `every ticket ended (${JSON.stringify(r.ticketsByState)})`);
  t.equal(r.kills, 10);
  t.equal(r.killsWhileServing, 10, 'every kill landed while residents were being served');
  t.equal(r.brokerRestarts, 2);
  t.equal(r.ticketsIssued, 18, 'every resident got a ticket');
  t.equal(r.ticketsServedTwice, 0);
  t.equal(r.ticketsLost, 0);
  t.same(r.report.withoutHolder, [], 'no custody item without a holder');
  t.same(r.report.withTwoHolders, [], 'no custody item with two holders');
  t.same(r.report.unacknowledged, [], 'every cross-box move acknowledged');
  t.ok(r.reconciles, 'the office reconciliation balances');
});
