/**
 * Integration: the doctor's printer check through the ESC/POS driver over TCP (port 9100 style)
 * against the printer emulator, which answers DLE EOT status queries like a real printer.
 */
import t from 'tap';
import { checkPrinter } from '../../../agent/doctor/checks/printer.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { createPrinter } from '../../../drivers/printer/factory.ts';
import { startPrinterEmulator } from '../../harness/printerEmulator/index.ts';
import { freePort } from '../../helpers/mosquitto.ts';

t.test('checkPrinter through ESC/POS over TCP (printer emulator)', async (t) => {
  const emulator = await startPrinterEmulator({ host: '127.0.0.1' });
  t.teardown(() => emulator.close());
  const printer = () =>
    createPrinter({ driver: 'escpos', columns: 32, transport: { type: 'tcp', host: '127.0.0.1', port: emulator.port } }, silentLogger);

  t.test('passes a ready printer and prints nothing', async (t) => {
    t.match(await checkPrinter({ printer: await printer() }), { code: 'PRINTER_OK', status: 'pass', detail: /paper=ok/ });
    t.equal(emulator.documents().length, 0);
    t.same(emulator.unknownCommands(), []);
  });

  t.test('reads paper out from the printer itself', async (t) => {
    emulator.setState({ paperOut: true });
    t.match(await checkPrinter({ printer: await printer() }), { code: 'PRINTER_PAPER_OUT', status: 'fail' });
    emulator.setState({ paperOut: false });
  });

  t.test('reads an open cover', async (t) => {
    emulator.setState({ coverOpen: true });
    t.match(await checkPrinter({ printer: await printer() }), { code: 'PRINTER_COVER_OPEN', status: 'fail' });
    emulator.setState({ coverOpen: false });
  });

  t.test('fails when nothing listens on the printer port', async (t) => {
    const port = await freePort();
    const nobody = await createPrinter({ driver: 'escpos', columns: 32, transport: { type: 'tcp', host: '127.0.0.1', port } }, silentLogger);
    t.match(await checkPrinter({ printer: nobody }), { code: 'PRINTER_ABSENT', status: 'fail', detail: /ECONNREFUSED/ });
  });
});
