/**
 * Issue #16, "faults nobody hears": each device is pulled mid-transaction — the sensor unplugged
 * while the resident verifies, the printer emulator running out of paper through the real ESC/POS
 * driver, pcscd killed and restarted under the PC/SC driver while the counter waits for the card.
 * Each fault lights GANGGUAN, shows in status.alerts and sends its *_fault event once when it
 * starts and once when it ends, however often the counter retries in between.
 */
import { vpcdSlot } from '../../harness/vpcdSlot.ts';
import t from 'tap';
import { alertsFrom } from '../../../agent/status/payloads.ts';
import { openSimCounter, type SimCounter } from '../../../agent/sim/simCounter.ts';
import { startPrinterEmulator } from '../../harness/printerEmulator/index.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { operatorMessage } from '../../../agent/operatorMessages.ts';
import { untilState } from '../../harness/runnerWaits.ts';
import { sleep, waitFor } from '../../helpers/waits.ts';

/** The fault events in the outbox, as sent: type and result. */
function faultEvents(sim: SimCounter, type: string): string[] {
  return sim.counter.status.outbox
    .peek(100_000)
    .map((r) => r.payload as unknown as { type: string; result: string })
    .filter((e) => e.type === type)
    .map((e) => e.result);
}

async function toVerify(sim: SimCounter): Promise<void> {
  sim.counter.intake(sim.played[0].resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  await sim.devices.card.insertCard(sim.played[0].card);
  await untilState(sim, ['DATA_CHECK']);
  sim.devices.panel.press('SESUAI');
  await untilState(sim, ['VERIFY_FINGER']);
}

t.test('sensor unplugged while the resident verifies', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 9, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  await toVerify(sim);
  sim.devices.sensor.unplug();
  await waitFor('sensor_fault', () => faultEvents(sim, 'sensor_fault').length === 1);
  await sleep(2500); // the runner retries the capture meanwhile
  t.same(faultEvents(sim, 'sensor_fault'), ['fault'], 'one event for the fault, not one per retry');
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
  t.ok(alertsFrom(sim.counter.status.health()).includes('sensor_absent'), 'status.alerts');
  t.equal(sim.counter.runner.current().name, 'VERIFY_FINGER', 'not a verdict');
  const faultText = operatorMessage(sim.counter.faults.current().get('sensor')!).text.slice(0, 12);
  await sim.counter.screen.settled();
  t.match(sim.devices.display.frame(), faultText, 'the operator display names the fault');
  sim.devices.sensor.replug();
  await waitFor('recovery', () => faultEvents(sim, 'sensor_fault').length === 2);
  t.same(faultEvents(sim, 'sensor_fault'), ['fault', 'recovered']);

  sim.devices.sensor.present(sim.world.genuine(sim.played[0].resident, 'right_index', 2));
  t.equal((await untilState(sim, ['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'HANDOVER');
  t.equal(sim.devices.panel.leds().GANGGUAN, 'off', 'GANGGUAN off once nothing is at fault');
});

t.test('printer emulator runs out of paper mid-transaction (real ESC/POS driver over TCP)', async (t) => {
  const emulator = await startPrinterEmulator({ columns: 32 });
  const sim = await openSimCounter({ residents: 3, seed: 9, dataDir: t.testdir(), logger: silentLogger, escposPrinter: { host: emulator.host, port: emulator.port } });
  t.teardown(async () => {
    await sim.close(); // the driver first: it would wait for a printer already gone
    await emulator.close();
  });
  sim.counter.intake(sim.played[0].resident.letterNo);
  await sim.counter.prints.pump();
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  emulator.setState({ paperOut: true });
  await sim.devices.card.insertCard(sim.played[0].card);
  await untilState(sim, ['DATA_CHECK']);
  await waitFor('printer_fault', () => faultEvents(sim, 'printer_fault').length === 1);
  for (let i = 0; i < 3; i++) await sim.counter.prints.pump().catch(() => undefined);
  t.same(faultEvents(sim, 'printer_fault'), ['fault'], 'once, however many pumps fail');
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
  t.ok(alertsFrom(sim.counter.status.health()).some((a) => a === 'paper_out' || a === 'printer_offline'), alertsFrom(sim.counter.status.health()).join(','));
  emulator.setState({ paperOut: false });
  await waitFor('recovered', () => faultEvents(sim, 'printer_fault').length === 2, 30_000);
  t.same(faultEvents(sim, 'printer_fault'), ['fault', 'recovered']);
  t.equal(sim.counter.runner.current().name, 'DATA_CHECK', 'the transaction waited');
});

t.test('pcscd killed and restarted while the counter waits for the card', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 9, dataDir: t.testdir(), logger: silentLogger, cardSlot: await vpcdSlot() });
  t.teardown(() => sim.close());
  sim.counter.intake(sim.played[0].resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
  await sim.devices.card.service!.kill();
  await waitFor('reader_fault', () => faultEvents(sim, 'reader_fault').length === 1);
  await sleep(2500);
  t.same(faultEvents(sim, 'reader_fault'), ['fault']);
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
  t.ok(alertsFrom(sim.counter.status.health()).some((a) => a.startsWith('reader_')), 'status.alerts');
  await sim.devices.card.service!.restart();
  await waitFor('recovered', () => faultEvents(sim, 'reader_fault').length === 2, 30_000);
  t.same(faultEvents(sim, 'reader_fault'), ['fault', 'recovered']);
  await sim.devices.card.insertCard(sim.played[0].card);
  t.equal((await untilState(sim, ['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED'])).name, 'DATA_CHECK', 'the transaction goes on');
});

t.test('a panel GPIO line fails: GANGGUAN, panel_fault once, the alert and the display; repaired, all cleared', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 9, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  sim.devices.panel.failLine('LED GAGAL');
  sim.devices.panel.failLine('button SESUAI'); // the same panel, still at fault
  t.same(faultEvents(sim, 'panel_fault'), ['fault'], 'once');
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
  t.ok(alertsFrom(sim.counter.status.health()).includes('panel_fault'), 'status.alerts');
  await sim.counter.screen.settled();
  t.match(sim.devices.display.frame(), operatorMessage('GPIO_IO').text.slice(0, 12), 'the operator display names it');
  t.match(sim.counter.status.health().panel, { status: 'error', code: 'GPIO_IO' });

  sim.devices.panel.repairLine('LED GAGAL');
  t.same(faultEvents(sim, 'panel_fault'), ['fault'], 'one line still fails');
  sim.devices.panel.repairLine('button SESUAI');
  t.same(faultEvents(sim, 'panel_fault'), ['fault', 'recovered']);
  t.equal(sim.devices.panel.leds().GANGGUAN, 'off', 'GANGGUAN off');
  t.notOk(alertsFrom(sim.counter.status.health()).includes('panel_fault'), 'the alert clears');
  t.match(sim.counter.status.health().panel, { status: 'ok', code: null });
  await sim.counter.screen.settled();
  t.notMatch(sim.devices.display.frame(), operatorMessage('GPIO_IO').text.slice(0, 12), 'the display no longer names it');
  sim.counter.intake(sim.played[0].resident.letterNo);
  sim.devices.panel.press('PANGGIL');
  await untilState(sim, ['CALLED']);
});

t.test('counter: GANGGUAN stays while another device is still at fault (two down, one back)', async (t) => {
  const sim = await openSimCounter({ residents: 3, seed: 9, dataDir: t.testdir(), logger: silentLogger });
  t.teardown(() => sim.close());
  sim.devices.sensor.unplug();
  sim.devices.panel.failLine('led BERHASIL');
  await waitFor('both faults', () => sim.counter.faults.current().size === 2);
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast');
  sim.devices.sensor.replug();
  await waitFor('sensor recovered', () => faultEvents(sim, 'sensor_fault').length === 2);
  // A state change repaints the LEDs: the runner must keep GANGGUAN for the panel still at fault.
  sim.counter.intake(sim.played[0].resident.letterNo);
  await sim.counter.screen.settled();
  t.equal(sim.devices.panel.leds().GANGGUAN, 'fast', 'the panel is still at fault');
  t.ok(alertsFrom(sim.counter.status.health()).includes('panel_fault'));
  sim.devices.panel.repairLine('led BERHASIL');
  await waitFor('panel recovered', () => faultEvents(sim, 'panel_fault').length === 2);
  t.equal(sim.devices.panel.leds().GANGGUAN, 'off', 'off once the last device recovered');
});
