import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import t from 'tap';
import { queueTicket } from '../../../agent/slips/index.ts';
import { SAMPLES } from '../../../agent/slips/samples.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { startPrinterEmulator } from '../../harness/printerEmulator/index.ts';
import { EscPosPrinter } from '../../../drivers/printer/escpos.ts';
import { renderText } from '../../../drivers/printer/layout.ts';
import { SerialTransport } from '../../../drivers/printer/transport.ts';

/**
 * The serial transport over a real tty: socat links two ptys, the emulator listens on one end
 * and the driver opens the other with serialport, as it would /dev/ttyUSB0.
 */
t.test('SerialTransport', async (t) => {
  const dir = t.testdir({});
  const hostEnd = join(dir, 'ttyHost');
  const printerEnd = join(dir, 'ttyPrinter');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${hostEnd}`, `pty,raw,echo=0,link=${printerEnd}`], { stdio: 'ignore' });
  t.teardown(() => {
    socat.kill();
  });
  for (let i = 0; i < 200 && !(existsSync(hostEnd) && existsSync(printerEnd)); i++) await new Promise((r) => setTimeout(r, 10));
  t.ok(existsSync(hostEnd) && existsSync(printerEnd), 'socat made the pty pair');

  const emulator = await startPrinterEmulator({ columns: 32 });
  const printerSide = new SerialPort({ path: printerEnd, baudRate: 19200, autoOpen: false });
  await new Promise<void>((res, rej) => printerSide.open((e) => (e ? rej(e) : res())));
  const detach = emulator.attach(printerSide);
  const printer = new EscPosPrinter({
    transport: new SerialTransport({ path: hostEnd, baudRate: 19200 }),
    columns: 32,
    settleMs: 0,
    logger: silentLogger,
  });
  t.teardown(async () => {
    await printer.close();
    detach();
    await new Promise<void>((res) => printerSide.close(() => res()));
    await emulator.close();
  });

  t.test('prints a slip and reads status over the serial line', async (t) => {
    await printer.open();
    t.match(await printer.status(), { online: true, paper: 'ok' });
    const doc = queueTicket(SAMPLES.queueTicket, 32);
    await printer.print(doc);
    t.same(emulator.textOf(emulator.documents()[0]), renderText(doc, 32));
    emulator.setState({ paperOut: true });
    await t.rejects(printer.print(doc), { code: 'PAPER_OUT', detail: { sent: false } });
  });

  t.test('reports a missing serial device as PRINTER_ABSENT', async (t) => {
    const p = new EscPosPrinter({ transport: new SerialTransport({ path: join(dir, 'ttyNone'), baudRate: 9600 }), columns: 32, logger: silentLogger });
    await t.rejects(p.open(), { code: 'PRINTER_ABSENT' });
  });
});
