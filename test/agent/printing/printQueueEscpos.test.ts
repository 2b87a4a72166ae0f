import Database from 'better-sqlite3';
import t from 'tap';
import { PrintQueue } from '../../../agent/printing/printQueue.ts';
import { queueTicket, receiptSlip, reprintBanner, REPRINT_MARK } from '../../../agent/slips/index.ts';
import { SAMPLES } from '../../../agent/slips/samples.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { startPrinterEmulator } from '../../harness/printerEmulator/index.ts';
import { EscPosPrinter } from '../../../drivers/printer/escpos.ts';
import { renderText } from '../../../drivers/printer/layout.ts';
import { TcpTransport } from '../../../drivers/printer/transport.ts';

/** The queue against the real ESC/POS driver and the TCP printer emulator. */
t.test('PrintQueue with the ESC/POS printer', async (t) => {
  const setup = async (t: { teardown(fn: () => Promise<void>): void }) => {
    const emulator = await startPrinterEmulator({ columns: 32 });
    const printer = new EscPosPrinter({
      transport: new TcpTransport({ host: emulator.host, port: emulator.port }),
      columns: 32,
      settleMs: 0,
      logger: silentLogger,
    });
    await printer.open();
    const db = new Database(':memory:');
    const queue = new PrintQueue({ db, printer });
    t.teardown(async () => {
      db.close();
      await printer.close();
      await emulator.close();
    });
    return { emulator, queue };
  };

  t.test('reprints a receipt cut short by paper out exactly once, marked CETAK ULANG, after the roll is changed', async (t) => {
    const { emulator, queue } = await setup(t);
    const faults: string[] = [];
    queue.on('fault', (e) => faults.push(e.code));
    const receipt = receiptSlip(SAMPLES.receipt, 32);
    queue.enqueue(receipt, { txId: SAMPLES.receipt.txId });
    emulator.paperOutAfterLines(10);
    await queue.pump();
    t.same(faults, ['PAPER_OUT']);
    t.equal(queue.depth(), 1);

    await queue.pump();
    t.equal(emulator.documents().length, 1, 'nothing more comes out while the paper is out');

    emulator.setState({ paperOut: false });
    await queue.pump();
    await queue.pump();
    const docs = emulator.documents();
    t.equal(docs.length, 2, 'the cut-short slip and one reprint');
    t.equal(docs[0].complete, false);
    const reprint = emulator.textOf(docs[1]);
    t.same(reprint, renderText(reprintBanner(receipt), 32));
    t.equal(reprint[0].trim(), REPRINT_MARK);
    t.same(reprint.slice(2, 2 + 20), renderText(receipt, 32).slice(0, 20), 'the receipt itself follows the banner unchanged');
    t.equal(queue.depth(), 0);
  });

  t.test('prints nothing while the cover is open and the whole ticket, unmarked, once it is closed', async (t) => {
    const { emulator, queue } = await setup(t);
    emulator.setState({ coverOpen: true });
    const ticket = queueTicket(SAMPLES.queueTicket, 32);
    queue.enqueue(ticket, { txId: null });
    await queue.pump();
    t.equal(queue.fault?.code, 'COVER_OPEN');
    t.equal(emulator.documents().length, 0);
    emulator.setState({ coverOpen: false });
    await queue.pump();
    t.same(emulator.textOf(emulator.documents()[0]), renderText(ticket, 32));
    t.equal(queue.fault, null);
  });

  t.test('keeps the job when the printer is unplugged', async (t) => {
    const { emulator, queue } = await setup(t);
    await emulator.close();
    queue.enqueue(queueTicket(SAMPLES.queueTicket, 32), { txId: null });
    await queue.pump();
    t.match(queue.fault, { code: /^PRINTER_(ABSENT|IO)$/ });
    t.equal(queue.depth(), 1);
    t.equal(queue.jobs()[0].reprint, false, 'the status check failed before any of the job was sent');
  });
});
