/**
 * Issue #16, "faults nobody hears": the `tamper` event was declared and never sent. Its source now
 * is the running counter re-verifying its sealed ledger (agent/ledger/watch.ts). The lock on the
 * data directory stops a second agent, not the sqlite3 shell: these tests edit the file from
 * another process while the counter runs, as such a client would, and expect the counter to stop
 * taking residents, light GANGGUAN, say so on the display, raise `ledger_tampered` in status and
 * send one `tamper` event. A legitimate tool writing through the keyed chain is not tampering.
 * The panel's optional case-intrusion switch takes the same path: an open box is a `tamper`
 * fault until it is shut, and shutting it re-verifies the whole ledger.
 */
import t from 'tap';
import { join } from 'node:path';
import { openSimCounter, type SimCounter } from '../../../agent/sim/simCounter.ts';
import { alertsFrom, findPersonalData } from '../../../agent/status/payloads.ts';
import { operatorMessage } from '../../../agent/operatorMessages.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { cli, writeConfig } from '../../helpers/cli.ts';
import { sleep, waitFor } from '../../helpers/waits.ts';
import { foreignSql } from '../../helpers/ledgerFile.ts';

function tamperEvents(sim: SimCounter) {
  return sim.counter.status.outbox
    .peek(100_000)
    .filter((r) => r.payload.type === 'tamper')
    .map((r) => r.payload);
}

async function openCounter(dir: string, recheckIntervalS = 3600) {
  const dataDir = join(dir, 'data');
  const sim = await openSimCounter({ residents: 4, seed: 16, dataDir, logger: silentLogger, configOverrides: { ledger: { recheckIntervalS } } });
  return { sim, path: join(dataDir, 'ledger.sqlite'), dataDir };
}

t.test('an e-KTP marked issued with another sqlite client under the running counter: tamper, once', async (t) => {
  const { sim, path } = await openCounter(t.testdir(), 1);
  t.teardown(() => sim.close());
  sim.counter.intake(sim.played[0].resident.letterNo);
  t.match(sim.counter.recheckLedger('test'), { ok: true, kind: 'chain' }, "the agent's own writes re-verify cheaply");
  t.same(tamperEvents(sim), []);

  // Resident 1's e-KTP "handed over" with no transaction, no custody event, no audit row.
  foreignSql(path, `UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND ref = '${sim.played[1].resident.cardUid}'`);
  await waitFor('the timer re-check to send tamper', () => tamperEvents(sim).length === 1, 10_000);
  const [event] = tamperEvents(sim);
  t.match(event, { type: 'tamper', result: 'fault', code: 'LEDGER_TAMPERED', reason: null, attempts: 0 });
  t.equal(findPersonalData(JSON.stringify(event)), null, 'no NIK or name in the event');

  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast', 'GANGGUAN');
  t.ok(alertsFrom(sim.counter.status.health()).includes('ledger_tampered'), 'status.alerts');
  t.match(sim.counter.status.health().ledger, { status: 'tampered', code: 'LEDGER_TAMPERED' });
  await sim.counter.screen.settled();
  t.match(sim.devices.display.frame(), operatorMessage('LEDGER_TAMPERED').text.slice(0, 12), 'the operator display says so');

  // No new resident: PANGGIL shows the refusal and calls nobody; intake refuses with the code.
  const notices: string[] = [];
  sim.counter.runner.on('notice', (c) => notices.push(c));
  sim.devices.panel.press('PANGGIL');
  await waitFor('the refusal', () => notices.includes('LEDGER_TAMPERED'));
  t.equal(sim.counter.runner.current().name, 'IDLE', 'resident 0 is not called onto a ledger that does not verify');
  t.throws(() => sim.counter.intake(sim.played[2].resident.letterNo), { code: 'LEDGER_TAMPERED' });
  t.throws(() => sim.counter.closeDay({ counted: 3 }), { code: 'LEDGER_TAMPERED' }, 'nor is the day closed onto it');

  await sleep(2500); // two more timer ticks
  t.equal(tamperEvents(sim).length, 1, 'one tamper event, not one per check');
  t.equal(sim.counter.recheckLedger('test'), null, 'latched until a restart');
});

t.test('the tail of the chain removed under the running counter: the last verified row is the anchor', async (t) => {
  const { sim, path } = await openCounter(t.testdir());
  t.teardown(() => sim.close());
  sim.counter.intake(sim.played[0].resident.letterNo);
  t.match(sim.counter.recheckLedger('test'), { ok: true });
  foreignSql(path, 'DROP TRIGGER audit_append_only_d; DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)');
  const r = sim.counter.recheckLedger('test');
  t.match(r, { ok: false });
  t.match(r?.problems.join('\n'), /a row verified earlier is gone/);
  t.equal(tamperEvents(sim).length, 1);
});

t.test('a tool writing through the keyed chain (close-day from the shell) is not tampering', async (t) => {
  const dir = t.testdir();
  const { sim, dataDir } = await openCounter(dir);
  t.teardown(() => sim.close());
  const config = writeConfig(dir, dataDir);
  const close = cli(['close-day', '--counted', String(sim.counter.ledger.itemCount('ektp', 'on_hand')), '--config', config]);
  t.equal(close.status, 0, close.stderr);
  t.match(sim.counter.recheckLedger('test'), { ok: true, kind: 'full' }, 'another connection wrote: the whole ledger re-verified, clean');
  t.same(tamperEvents(sim), []);
  t.notOk(alertsFrom(sim.counter.status.health()).includes('ledger_tampered'));
});

t.test('the case opened: tamper, no new resident until it is shut; shut, service resumes', async (t) => {
  const { sim } = await openCounter(t.testdir());
  t.teardown(() => sim.close());
  sim.counter.intake(sim.played[0].resident.letterNo);
  const notices: string[] = [];
  sim.counter.runner.on('notice', (c) => notices.push(c));

  sim.devices.panel.setCaseOpen(true);
  t.match(tamperEvents(sim), [{ type: 'tamper', result: 'fault', code: 'CASE_OPENED', reason: null }]);
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
  t.ok(alertsFrom(sim.counter.status.health()).includes('case_open'), 'status.alerts');
  await sim.counter.screen.settled();
  t.match(sim.devices.display.frame(), operatorMessage('CASE_OPENED').text.slice(0, 12));
  sim.devices.panel.press('PANGGIL');
  await waitFor('the refusal', () => notices.includes('CASE_OPENED'));
  t.equal(sim.counter.runner.current().name, 'IDLE');
  t.throws(() => sim.counter.intake(sim.played[1].resident.letterNo), { code: 'CASE_OPENED' });

  sim.devices.panel.setCaseOpen(false);
  t.same(
    tamperEvents(sim).map((e) => [e.result, e.code]),
    [
      ['fault', 'CASE_OPENED'],
      ['recovered', 'CASE_OPENED'],
    ],
  );
  t.equal(sim.devices.panel.leds().GANGGUAN, 'off');
  t.notOk(alertsFrom(sim.counter.status.health()).includes('case_open'));
  sim.devices.panel.press('PANGGIL');
  await waitFor('the call', () => sim.counter.runner.current().name === 'CALLED');
});

t.test('the ledger edited while the case was open: shutting it re-verifies everything at once', async (t) => {
  const { sim, path } = await openCounter(t.testdir());
  t.teardown(() => sim.close());
  sim.devices.panel.setCaseOpen(true);
  foreignSql(path, `UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND ref = '${sim.played[1].resident.cardUid}'`);
  sim.devices.panel.setCaseOpen(false);
  t.same(
    tamperEvents(sim).map((e) => [e.result, e.code]),
    [
      ['fault', 'CASE_OPENED'],
      ['recovered', 'CASE_OPENED'],
      ['fault', 'LEDGER_TAMPERED'],
    ],
    'found on shutting the case, not a timer tick later',
  );
  t.throws(() => sim.counter.intake(sim.played[0].resident.letterNo), { code: 'LEDGER_TAMPERED' });
});

t.test('a case found open at start is reported at start', async (t) => {
  const { sim } = await openCounter(t.testdir());
  t.teardown(() => sim.close());
  await sim.counter.stop();
  sim.devices.panel.setCaseOpen(true);
  sim.counter.start();
  t.match(tamperEvents(sim), [{ result: 'fault', code: 'CASE_OPENED' }]);
});
