/**
 * The keyboard console of the simulated counter prints the operator display's lines, the same
 * ones the LCD shows, and 'k' marks the card damaged like a long SANGGAH.
 */
import t from 'tap';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { runSimConsole } from '../../../agent/sim/console.ts';
import { openSimCounter } from '../../../agent/sim/simCounter.ts';
import type { TxStateName } from '../../../agent/transaction/states.ts';
import { silentLogger } from '../../../drivers/logger.ts';

t.test('keyboard console', async (t) => {
  const sim = await openSimCounter({ residents: 2, seed: 3, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  const input = new PassThrough() as unknown as NodeJS.ReadStream;
  let out = '';
  const done = runSimConsole(sim.counter, sim.devices, sim, { input, write: (s) => void (out += s) });
  const key = async (k: string, until?: TxStateName) => {
    input.push(k);
    for (let i = 0; i < 400 && until && sim.counter.runner.current().name !== until; i++) await sleep(25);
    await sim.counter.screen.settled();
  };
  await key('i');
  await key('p', 'CALLED');
  await key('c', 'DATA_CHECK');
  const lcd = sim.devices.display.lines();
  t.match(lcd[0], /^PENCOCOKAN\s+A-001$/);
  t.ok(out.includes(lcd.map((l) => `|${l}|`).join('\n')), 'the console printed exactly what the display shows');
  await key('k', 'RETURN_DOCS');
  t.match(sim.devices.display.lines()[0], /^GAGAL\s+A-001$/);
  t.equal(sim.counter.ledger.transactionOutcomes()[0]?.reason, 'card_damaged');
  input.push('q');
  await done;
});
