/**
 * The intake desk re-checks its sealed ledger while running, as the counter does
 * (test/agent/trust/tamper.test.ts): the ledger file edited by another sqlite client under the
 * running desk stops it issuing tickets (LEDGER_TAMPERED on its LEDs and printed refusal), lights
 * GANGGUAN, and sends one `tamper` event through the desk's status outbox.
 */
import t from 'tap';
import { join } from 'node:path';
import { parseConfig } from '../../../agent/config/load.ts';
import { assembleIntake } from '../../../agent/intake/assemble.ts';
import { initLedgerFiles } from '../../../agent/ledger/open.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { alertsFrom, findPersonalData } from '../../../agent/status/payloads.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import type { SimPanel } from '../../../drivers/panel/sim.ts';
import type { SimScanner } from '../../../drivers/scanner/sim.ts';
import { sleep, waitFor } from '../../helpers/waits.ts';
import { foreignSql } from '../../helpers/ledgerFile.ts';

t.test('the desk ledger edited under the running desk: no more tickets, GANGGUAN, one tamper event', async (t) => {
  const dir = t.testdir();
  const dataDir = join(dir, 'data');
  const config = parseConfig(
    { dataDir, role: 'intake', site: { id: 'kec-demo' }, counter: { id: 'meja-1', label: 'MEJA PENDAFTARAN' }, ledger: { keyFile: join(dir, 'chain.key'), recheckIntervalS: 1 } },
    'test',
  );
  initLedgerFiles({ dataDir, keyFile: config.ledger.keyFile });
  const intake = await assembleIntake({ config, logger: silentLogger });
  t.teardown(() => intake.close());
  const residents = makeResidents(14, 4);
  intake.importRoster(virtualRoster(residents, 'kec-demo', 'VIRTUAL-14-4', new Date().toISOString()));
  intake.start();
  const scanner = intake.devices.scanner as SimScanner;
  const panel = intake.devices.panel as SimPanel;
  const notices: string[] = [];
  intake.desk.on('notice', (c) => notices.push(c));
  const tamper = () => intake.status.outbox.peek(1000).filter((r) => r.payload.type === 'tamper').map((r) => r.payload);
  const tickets = () => intake.ledger.waitingCount();

  scanner.scan(residents[0].letterNo);
  panel.press('SESUAI');
  t.equal(tickets(), 1, 'a ticket on a clean ledger');
  t.match(intake.recheckLedger('test'), { ok: true, kind: 'chain' }, "the desk's own writes re-verify cheaply");
  t.same(tamper(), []);

  // Resident 1's e-KTP "handed over" by another program: no custody event, no audit row.
  foreignSql(join(dataDir, 'ledger.sqlite'), `UPDATE items SET state = 'issued' WHERE kind = 'ektp' AND ref = '${residents[1].cardUid}'`);
  await waitFor('the timer re-check to send tamper', () => tamper().length === 1);
  t.match(tamper()[0], { type: 'tamper', result: 'fault', code: 'LEDGER_TAMPERED', reason: null });
  t.equal(findPersonalData(JSON.stringify(tamper()[0])), null, 'no NIK or name in the event');
  t.equal(panel.leds().GANGGUAN, 'fast', 'GANGGUAN');
  t.ok(alertsFrom(intake.status.health()).includes('ledger_tampered'), 'status.alerts');
  t.notOk(alertsFrom(intake.status.health()).some((a) => a.startsWith('reader') || a.startsWith('sensor')), 'a desk has no reader or sensor to alert on');

  scanner.scan(residents[2].letterNo);
  await waitFor('the refusal', () => notices.includes('LEDGER_TAMPERED'));
  t.equal(intake.desk.current().name, 'IDLE', 'no letter check started');
  t.equal(tickets(), 1, 'no ticket issued on a ledger that does not verify');
  await sleep(2200);
  t.equal(tamper().length, 1, 'one tamper event, not one per check');
  t.equal(intake.recheckLedger('test'), null, 'latched until a restart');
});
