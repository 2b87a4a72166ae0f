import t from 'tap';
import { chmodSync } from 'node:fs';
import { formatJson, formatTable } from '../../../agent/doctor/report.ts';
import { expectedPart, REFERENCE_PARTS } from '../../../agent/doctor/referenceParts.ts';
import { runChecks } from '../../../agent/doctor/run.ts';
import { SimCardReader } from '../../../drivers/card/sim.ts';
import { SimFingerprintSensor } from '../../../drivers/fingerprint/sim.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import { SimPrinter } from '../../../drivers/printer/sim.ts';
import { profileByName } from '../../../drivers/fingerprint/profiles/index.ts';
import { formatUsbId } from '../../../drivers/fingerprint/profile.ts';

t.test('a missing device names the reference part it expected', async (t) => {
  const dataDir = t.testdir();
  chmodSync(dataDir, 0o700);
  const cardReader = new SimCardReader();
  const sensor = new SimFingerprintSensor();
  const printer = new SimPrinter({ columns: 48 });
  cardReader.unplug();
  sensor.unplug();
  const results = await runChecks({
    cardReader,
    sensor,
    printer,
    panel: new SimPanel(),
    pcscdSocket: null,
    mqtt: null,
    dataDir,
    dbPaths: [],
    now: () => new Date('1970-01-01T00:00:05Z'),
    ntpSynchronized: async () => false,
    sensorProbeMs: 20,
  });
  const byCheck = new Map(results.map((r) => [r.check, r]));
  t.match(byCheck.get('cardReader'), { code: 'READER_ABSENT', expected: /^ACS ACR1252U-M1 \(USB 072f:223b/ });
  t.match(byCheck.get('sensor'), { code: 'SENSOR_ABSENT', expected: /^DigitalPersona U\.are\.U 4500 \(USB 05ba:000a\)$/ });
  t.match(byCheck.get('clock'), { code: 'CLOCK_WRONG', expected: /DS3231 RTC module \(I2C bus 1, address 0x68/ });
  t.notOk(byCheck.get('printer')?.expected, 'a device that answered names nothing');

  const table = formatTable(results);
  t.match(table, /^READER_ABSENT\s+GAGAL\s+Pembaca kartu tidak terdeteksi.*\n\s+Perangkat acuan: ACS ACR1252U-M1 /m);
  t.match(JSON.parse(formatJson(results)), { results: [{}, { code: 'READER_ABSENT', expected: /ACR1252U-M1/ }] });
});

t.test('only missing-device verdicts name a part', async (t) => {
  t.equal(expectedPart('PRINTER_PAPER_OUT'), undefined, 'paper out is not a missing printer');
  t.equal(expectedPart('SAM_LOCKED'), undefined, 'a locked SAM is there');
  t.match(expectedPart('PANEL_LINE_MISSING'), /pinctrl|docs\/wiring\.svg/);
  t.match(expectedPart('PRINTER_NO_RESPONSE'), /Epson TM-T82X/);
});

t.test('the reference sensor is one the driver has a profile for', async (t) => {
  const ids = profileByName('uru4000b')!.ids.map(formatUsbId);
  t.ok(ids.some((id) => REFERENCE_PARTS.sensor.connection.includes(id)), `${REFERENCE_PARTS.sensor.connection} in ${ids.join(', ')}`);
});
