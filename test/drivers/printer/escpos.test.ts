import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import t from 'tap';
import { dataCheckSlip, queueTicket, receiptSlip, resultSlip } from '../../../agent/slips/index.ts';
import { SAMPLES } from '../../../agent/slips/samples.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { startPrinterEmulator, type PrinterEmulator } from '../../harness/printerEmulator/index.ts';
import { EscPosPrinter, parseStatus } from '../../../drivers/printer/escpos.ts';
import { renderText } from '../../../drivers/printer/layout.ts';
import { TcpTransport } from '../../../drivers/printer/transport.ts';

async function rig(t: { teardown(fn: () => Promise<void> | void): void }, columns: 32 | 48 = 32, opts: { statusTimeoutMs?: number } = {}) {
  const emulator = await startPrinterEmulator({ columns });
  const printer = new EscPosPrinter({
    transport: new TcpTransport({ host: emulator.host, port: emulator.port }),
    columns,
    settleMs: 0,
    statusTimeoutMs: opts.statusTimeoutMs ?? 1000,
    logger: silentLogger,
  });
  await printer.open();
  t.teardown(async () => {
    await printer.close();
    await emulator.close();
  });
  return { emulator, printer };
}

t.test('EscPosPrinter', async (t) => {
  for (const columns of [32, 48] as const) {
    t.test(`prints slips that decode to the layout text at ${columns} columns`, async (t) => {
      const { emulator, printer } = await rig(t, columns);
      const docs = [
        queueTicket(SAMPLES.queueTicket, columns),
        dataCheckSlip(SAMPLES.dataCheck, columns),
        resultSlip(SAMPLES.resultDisputed, columns),
        receiptSlip(SAMPLES.receipt, columns),
      ];
      for (const d of docs) await printer.print(d);
      const printed = emulator.documents();
      t.equal(printed.length, docs.length, 'one cut per slip');
      printed.forEach((p, i) => {
        t.ok(p.complete);
        t.same(emulator.textOf(p), renderText(docs[i], columns), `${docs[i].kind} reads the same on paper`);
      });
      t.same(emulator.unknownCommands(), []);
    });
  }

  t.test('selects code page PC437 with ESC t after the reset and sends only ASCII', async (t) => {
    const { emulator, printer } = await rig(t);
    const bytes = printer.encode(resultSlip(SAMPLES.resultDisputed, 32));
    t.same([...bytes.subarray(0, 5)], [0x1b, 0x40, 0x1b, 0x74, 0x00]);
    t.notOk([...bytes].some((b) => b >= 0x80), 'no byte above 0x7f');
    t.match(bytes.toString('latin1'), /ANDRE MULLER LUKASZ/);
    await printer.print(resultSlip(SAMPLES.resultDisputed, 32));
    t.equal(emulator.documents()[0].codePage, 0, 'the printer saw ESC t 0');
  });

  t.test('stores the transaction id in the QR code', async (t) => {
    const { emulator, printer } = await rig(t);
    await printer.print(resultSlip(SAMPLES.resultGagal, 32));
    const qr = emulator.documents()[0].lines.find((l) => l.kind === 'qr');
    t.match(qr, { kind: 'qr', data: SAMPLES.resultGagal.txId, ecc: 'M' });
  });

  t.test('reads online, cover, paper and cutter state with DLE EOT', async (t) => {
    const { emulator, printer } = await rig(t);
    t.same(await printer.status(), { online: true, coverOpen: false, paper: 'ok', cutterError: false });
    emulator.setState({ nearEnd: true });
    t.match(await printer.status(), { online: true, paper: 'near_end' });
    emulator.setState({ nearEnd: false, coverOpen: true });
    t.match(await printer.status(), { online: false, coverOpen: true });
    emulator.setState({ coverOpen: false, cutterError: true });
    t.match(await printer.status(), { online: false, cutterError: true });
    emulator.setState({ cutterError: false, paperOut: true });
    t.match(await printer.status(), { online: false, paper: 'out' });
  });

  t.test('still prints on a near-end roll', async (t) => {
    const { emulator, printer } = await rig(t);
    emulator.setState({ nearEnd: true });
    await printer.print(queueTicket(SAMPLES.queueTicket, 32));
    t.equal(emulator.documents().length, 1);
  });

  t.test('refuses a job with the cover open before sending any byte of it', async (t) => {
    const { emulator, printer } = await rig(t);
    emulator.setState({ coverOpen: true });
    await t.rejects(printer.print(queueTicket(SAMPLES.queueTicket, 32)), { code: 'COVER_OPEN', detail: { sent: false } });
    emulator.setState({ coverOpen: false });
    await printer.print(queueTicket(SAMPLES.queueTicket, 32));
    t.equal(emulator.documents().length, 1, 'only the job after closing the cover came out');
  });

  t.test('reports PAPER_OUT as possibly printed when the roll ends mid-slip', async (t) => {
    const { emulator, printer } = await rig(t);
    emulator.paperOutAfterLines(6);
    await t.rejects(printer.print(receiptSlip(SAMPLES.receipt, 32)), { code: 'PAPER_OUT', detail: { sent: true } });
    const [partial] = emulator.documents();
    t.equal(partial.complete, false);
    t.equal(emulator.textOf(partial).length, 6);
  });

  t.test('reports PRINTER_ABSENT when the printer goes away', async (t) => {
    const { emulator, printer } = await rig(t);
    await emulator.close();
    const err = await printer.status().then(
      () => null,
      (e: unknown) => e,
    );
    t.match(err, { code: /^PRINTER_(ABSENT|IO)$/ });
    await printer.close();
    await t.rejects(printer.open(), { code: 'PRINTER_ABSENT', detail: { sent: false } });
  });

  t.test('times out with PRINTER_TIMEOUT when status replies stop', async (t) => {
    const { emulator, printer } = await rig(t, 32, { statusTimeoutMs: 100 });
    emulator.setState({ unresponsive: true });
    await t.rejects(printer.status(), { code: 'PRINTER_TIMEOUT' });
    await t.rejects(printer.print(queueTicket(SAMPLES.queueTicket, 32)), { code: 'PRINTER_TIMEOUT', detail: { sent: false } });
    emulator.setState({ unresponsive: false });
    t.match(await printer.status(), { online: true }, 'a late reply does not confuse the next query');
  });
});

t.test('parseStatus', async (t) => {
  t.test('maps the Epson DLE EOT bits', async (t) => {
    t.same(parseStatus([0x12, 0x12, 0x12, 0x12]), { online: true, coverOpen: false, paper: 'ok', cutterError: false });
    t.same(parseStatus([0x1a, 0x32, 0x12, 0x72]), { online: false, coverOpen: false, paper: 'out', cutterError: false });
    t.same(parseStatus([0x12, 0x12, 0x12, 0x1e]), { online: true, coverOpen: false, paper: 'near_end', cutterError: false });
    t.same(parseStatus([0x1a, 0x16, 0x1a, 0x12]), { online: false, coverOpen: true, paper: 'ok', cutterError: true });
  });
});

t.test('printer emulator', async (t) => {
  t.test('decodes commands split across packets the same as whole', async (t) => {
    const emulator: PrinterEmulator = await startPrinterEmulator({ columns: 32 });
    t.teardown(() => emulator.close());
    const printer = new EscPosPrinter({
      transport: new TcpTransport({ host: emulator.host, port: emulator.port }),
      columns: 32,
      logger: silentLogger,
    });
    const bytes = printer.encode(resultSlip(SAMPLES.resultGagal, 32));
    const { createConnection } = await import('node:net');
    const sock = createConnection({ host: emulator.host, port: emulator.port });
    await new Promise((r) => sock.once('connect', r));
    for (const b of bytes) {
      sock.write(Buffer.from([b]));
    }
    await new Promise<void>((r) => sock.end(() => r()));
    for (let i = 0; i < 100 && emulator.documents().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    t.same(emulator.textOf(emulator.documents()[0]), renderText(resultSlip(SAMPLES.resultGagal, 32), 32));
  });

  t.test('renders a slip to a PNG as wide as the paper', async (t) => {
    const { emulator, printer } = await rig(t, 48);
    await printer.print(receiptSlip(SAMPLES.receipt, 48));
    const dir = mkdtempSync(join(tmpdir(), 'slip-png-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'receipt.png');
    await emulator.renderPng(emulator.documents()[0], path);
    const png = PNG.sync.read(readFileSync(path));
    t.equal(png.width, 48 * 12 + 32);
    t.ok(png.height > 800);
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] < 0x80) ink++;
    t.ok(ink > 5000, 'text and QR are drawn');
  });
});

t.test('UsbLpTransport', async (t) => {
  const { UsbLpTransport } = await import('../../../drivers/printer/transport.ts');
  t.test('reports a missing /dev/usb/lp device as PRINTER_ABSENT', async (t) => {
    const tr = new UsbLpTransport({ device: join(t.testdir({}), 'lp9') });
    await t.rejects(tr.open(), { code: 'PRINTER_ABSENT', detail: { sent: false } });
  });
  t.test('writes the job and times out when no status byte comes back', async (t) => {
    const dir = t.testdir({ lp0: '' });
    const tr = new UsbLpTransport({ device: join(dir, 'lp0') });
    await tr.open();
    t.teardown(() => tr.close());
    await tr.write(Buffer.from([0x10, 0x04, 0x01]));
    await t.rejects(tr.read(1, 50), { code: 'PRINTER_TIMEOUT' });
    t.same([...readFileSync(join(dir, 'lp0'))], [0x10, 0x04, 0x01]);
  });
});

t.test('EscPosPrinter reconnect', async (t) => {
  t.test('prints again once a restarted printer is back on the network', async (t) => {
    const first = await startPrinterEmulator({ columns: 32 });
    const port = first.port;
    const printer = new EscPosPrinter({ transport: new TcpTransport({ host: first.host, port }), columns: 32, settleMs: 0, logger: silentLogger });
    await printer.open();
    await first.close();
    await t.rejects(printer.status(), { code: /^PRINTER_(ABSENT|IO)$/ });
    await t.rejects(printer.status(), { code: 'PRINTER_ABSENT' }, 'still away: connection refused');
    const second = await startPrinterEmulator({ columns: 32, port });
    t.teardown(async () => {
      await printer.close();
      await second.close();
    });
    await printer.print(queueTicket(SAMPLES.queueTicket, 32));
    t.equal(second.documents().length, 1);
  });
});
