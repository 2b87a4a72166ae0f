import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPanel } from '../../../../agent/doctor/checks/panel.ts';
import { checkPcscd } from '../../../../agent/doctor/checks/pcscd.ts';
import { checkCardReader } from '../../../../agent/doctor/checks/cardReader.ts';
import { SimCardReader } from '../../../../drivers/card/sim.ts';
import { SimPanel } from '../../../../drivers/panel/sim.ts';
import { PanelError } from '../../../../drivers/panel/types.ts';
import { checkPrinter } from '../../../../agent/doctor/checks/printer.ts';
import { checkSensor } from '../../../../agent/doctor/checks/sensor.ts';
import { SimPrinter } from '../../../../drivers/printer/sim.ts';
import { SimFingerprintSensor } from '../../../../drivers/fingerprint/sim.ts';
import type { Printer } from '../../../../drivers/printer/types.ts';
import { PrinterError } from '../../../../drivers/printer/types.ts';

t.test('checkPcscd', async (t) => {
  t.test('passes when something accepts connections on the pcscd socket', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ektp-pcscd-'));
    const path = join(dir, 'pcscd.comm');
    const srv = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => srv.listen(path, resolve));
    t.teardown(() => {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    });
    t.match(await checkPcscd({ pcscdSocket: path }), { code: 'PCSCD_OK', status: 'pass' });
  });
  t.test('fails with PCSCD_DOWN when the socket is missing', async (t) => {
    const r = await checkPcscd({ pcscdSocket: join(tmpdir(), `ektp-no-pcscd-${process.pid}`) });
    t.match(r, { code: 'PCSCD_DOWN', status: 'fail', detail: /ENOENT/ });
  });
  t.test('passes with a note when the reader is simulated', async (t) => {
    t.match(await checkPcscd({ pcscdSocket: null }), { code: 'PCSCD_NOT_USED', status: 'pass' });
  });
});

t.test('checkPrinter', async (t) => {
  const cases: Array<[string, Parameters<SimPrinter['setStatus']>[0], string, string]> = [
    ['passes a ready printer', {}, 'PRINTER_OK', 'pass'],
    ['warns when the paper is near its end', { paper: 'near_end' }, 'PRINTER_PAPER_LOW', 'warn'],
    ['names paper out before the offline state it causes', { paper: 'out', online: false }, 'PRINTER_PAPER_OUT', 'fail'],
    ['fails on an open cover', { coverOpen: true, online: false }, 'PRINTER_COVER_OPEN', 'fail'],
    ['fails on a jammed cutter', { cutterError: true }, 'PRINTER_CUTTER_ERROR', 'fail'],
    ['fails on an offline printer', { online: false }, 'PRINTER_OFFLINE', 'fail'],
  ];
  for (const [name, patch, code, status] of cases) {
    t.test(name, async (t) => {
      const printer = new SimPrinter({ columns: 32 });
      printer.setStatus(patch);
      t.match(await checkPrinter({ printer }), { check: 'printer', code, status });
      t.equal(printer.isOpen, false, 'closed again');
      t.equal(printer.sheets.length, 0, 'printed nothing');
    });
  }
  t.test('fails with PRINTER_ABSENT when the printer is unplugged', async (t) => {
    const printer = new SimPrinter({ columns: 32 });
    printer.unplug();
    t.match(await checkPrinter({ printer }), { code: 'PRINTER_ABSENT', status: 'fail', message: /kabel/ });
  });
  t.test('reports a status timeout as PRINTER_NO_RESPONSE', async (t) => {
    const printer: Printer = {
      columns: 48,
      open: async () => {},
      close: async () => {},
      status: async () => {
        throw new PrinterError('PRINTER_TIMEOUT', 'no DLE EOT answer');
      },
      print: async () => {},
    };
    t.match(await checkPrinter({ printer }), { code: 'PRINTER_NO_RESPONSE', detail: 'PRINTER_TIMEOUT: no DLE EOT answer' });
  });
});

t.test('checkSensor', async (t) => {
  t.test('passes when the probe capture times out with nobody on the sensor', async (t) => {
    const sensor = new SimFingerprintSensor({ model: 'sim-500dpi' });
    t.match(await checkSensor({ sensor, sensorProbeMs: 20 }), { code: 'SENSOR_OK', status: 'pass', detail: 'sim-500dpi' });
    t.equal(sensor.isOpen, false);
  });
  t.test('passes and wipes the frame when a finger happened to be on it', async (t) => {
    const sensor = new SimFingerprintSensor();
    const pixels = new Uint8Array(16).fill(200);
    sensor.present({ width: 4, height: 4, dpi: 500, pixels });
    t.match(await checkSensor({ sensor, sensorProbeMs: 20 }), { code: 'SENSOR_OK' });
    t.ok(pixels.every((p) => p === 0), 'no biometric data left in memory');
  });
  t.test('fails with SENSOR_ABSENT when the sensor is unplugged', async (t) => {
    const sensor = new SimFingerprintSensor();
    sensor.unplug();
    t.match(await checkSensor({ sensor, sensorProbeMs: 20 }), { code: 'SENSOR_ABSENT', status: 'fail' });
  });
});

t.test('checkCardReader', async (t) => {
  t.test('passes a reader with its SAM and closes it again', async (t) => {
    const cardReader = new SimCardReader();
    t.match(await checkCardReader({ cardReader }), { code: 'READER_OK', status: 'pass', detail: 'reader=ok sam=ok' });
    t.equal(cardReader.isOpen, false);
  });
  t.test('fails with READER_ABSENT when the reader is unplugged', async (t) => {
    const cardReader = new SimCardReader();
    cardReader.unplug();
    t.match(await checkCardReader({ cardReader }), { code: 'READER_ABSENT', status: 'fail' });
  });
});

t.test('checkPanel', async (t) => {
  t.test('passes a panel that opens and closes', async (t) => {
    t.match(await checkPanel({ panel: new SimPanel() }), { code: 'PANEL_OK', status: 'pass', detail: '6 LEDs' });
  });
  t.test('names a missing GPIO line', async (t) => {
    const panel = new SimPanel();
    panel.open = async () => {
      throw new PanelError('GPIO_LINE_NOT_FOUND', 'line 27 not on gpiochip0');
    };
    t.match(await checkPanel({ panel }), { code: 'PANEL_LINE_MISSING', status: 'fail', detail: 'GPIO_LINE_NOT_FOUND: line 27 not on gpiochip0' });
  });
});
