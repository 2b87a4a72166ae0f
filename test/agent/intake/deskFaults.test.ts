/**
 * The intake desk's device faults reach the status outbox and health the way a counter's do
 * (the same FaultMonitor, agent/faults.ts): one `*_fault` event when the scanner, keypad or panel
 * fails and one `recovered` when it works again, `status.alerts` meanwhile, no NIK or name on the
 * wire. GANGGUAN shows the set of devices at fault: it stays while any one is still down.
 */
import t, { type Test } from 'tap';
import { openSimDesk } from '../../harness/simDesk.ts';
import { alertsFrom, findPersonalData } from '../../../agent/status/payloads.ts';
import type { SimKeypad } from '../../../drivers/keypad/sim.ts';
import type { SimPanel } from '../../../drivers/panel/sim.ts';
import type { SimScanner } from '../../../drivers/scanner/sim.ts';

async function openDesk(t: Test) {
  const { intake, residents } = await openSimDesk({ dir: t.testdir(), seed: 16, residents: 3, recheckIntervalS: 3600, teardown: (fn) => t.teardown(fn) });
  const events = (type: string) =>
    intake.status.outbox
      .peek(1000)
      .map((r) => r.payload)
      .filter((e) => e.type === type);
  return {
    intake,
    residents,
    events,
    results: (type: string) => events(type).map((e) => `${e.result}:${e.code}`),
    alerts: () => alertsFrom(intake.status.health()),
    scanner: intake.devices.scanner as SimScanner,
    keypad: intake.devices.keypad as SimKeypad,
    panel: intake.devices.panel as SimPanel,
  };
}

t.test('desk scanner, keypad and panel faults: one event each way, health and alerts, GANGGUAN', async (t) => {
  const { intake, residents, events, results, alerts, scanner, keypad, panel } = await openDesk(t);

  // A bad scan and an overlong entry are the officer's notices, not devices failing.
  scanner.scan('\u0001\u0002');
  keypad.type('1'.repeat(45));
  t.same(results('scanner_fault'), [], 'SCAN_UNREADABLE is no device fault');
  t.same(results('keypad_fault'), [], 'KEYPAD_OVERFLOW is no device fault');
  t.equal(panel.leds().GANGGUAN, 'off');

  scanner.unplug();
  scanner.unplug(); // the same fault reported again while it lasts
  t.same(results('scanner_fault'), ['fault:SCANNER_ABSENT'], 'one scanner_fault');
  t.equal(events('scanner_fault')[0].reason, 'device_fault');
  t.equal(panel.leds().GANGGUAN, 'fast', 'GANGGUAN');
  t.match(intake.status.health(), { scanner: { status: 'error', code: 'SCANNER_ABSENT' }, keypad: { status: 'ok' } });
  t.ok(alerts().includes('scanner_fault'), 'status.alerts');
  scanner.replug();
  t.same(results('scanner_fault'), ['fault:SCANNER_ABSENT', 'recovered:SCANNER_ABSENT']);
  t.equal(panel.leds().GANGGUAN, 'off', 'GANGGUAN off: nothing at fault');
  t.notOk(alerts().includes('scanner_fault'));

  keypad.unplug();
  t.same(results('keypad_fault'), ['fault:KEYPAD_ABSENT']);
  t.match(intake.status.health(), { keypad: { status: 'error', code: 'KEYPAD_ABSENT' } });
  t.ok(alerts().includes('keypad_fault'));
  keypad.replug();
  t.same(results('keypad_fault'), ['fault:KEYPAD_ABSENT', 'recovered:KEYPAD_ABSENT']);

  panel.failLine('button SESUAI');
  t.same(results('panel_fault'), ['fault:GPIO_IO']);
  t.ok(alerts().includes('panel_fault'));
  panel.repairLine('button SESUAI');
  t.same(results('panel_fault'), ['fault:GPIO_IO', 'recovered:GPIO_IO']);
  t.same(alerts(), [], 'all clear');

  // A ticket issued meanwhile: the events carry no NIK, name or letter number.
  scanner.scan(residents[0].letterNo);
  panel.press('SESUAI');
  t.equal(intake.ledger.waitingCount(), 1, 'the desk works after the faults');
  for (const e of intake.status.outbox.peek(1000)) {
    const json = JSON.stringify(e.payload);
    t.equal(findPersonalData(json), null, `${e.payload.type} carries no personal data`);
    t.notMatch(json, residents[0].letterNo);
    t.notMatch(json, residents[0].biodata.name);
  }
});

t.test('desk: GANGGUAN stays while another device is still at fault (two down, one back)', async (t) => {
  const { scanner, keypad, panel } = await openDesk(t);
  scanner.unplug();
  panel.failLine('led GAGAL');
  t.equal(panel.leds().GANGGUAN, 'fast');
  scanner.replug();
  t.equal(panel.leds().GANGGUAN, 'fast', 'the panel is still at fault');
  panel.repairLine('led GAGAL');
  t.equal(panel.leds().GANGGUAN, 'off', 'off once the last device recovered');

  keypad.unplug();
  scanner.unplug();
  keypad.replug();
  t.equal(panel.leds().GANGGUAN, 'fast', 'the scanner is still unplugged');
  scanner.replug();
  t.equal(panel.leds().GANGGUAN, 'off');
});
