import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { PrintQueue } from '../../../agent/printing/printQueue.ts';
import { configureDatabase } from '../../../agent/ledger/migrate.ts';
import { REPRINT_MARK } from '../../../agent/slips/reprint.ts';
import { SimPrinter } from '../../../drivers/printer/sim.ts';
import { PrinterError, type SlipDocument } from '../../../drivers/printer/types.ts';

function slip(name: string, lines = 3): SlipDocument {
  return {
    kind: 'receipt',
    lines: [{ kind: 'text', text: `SLIP ${name}` }, ...Array.from({ length: lines - 1 }, (_, i) => ({ kind: 'text', text: `${name} line ${i + 2}` }) as const)],
  };
}

async function setup(t: Tap) {
  const dir = mkdtempSync(join(tmpdir(), 'printq-'));
  const file = join(dir, 'agent.db');
  const db = new Database(file);
  configureDatabase(db);
  const printer = new SimPrinter({ columns: 32 });
  await printer.open();
  const queue = new PrintQueue({ db, printer });
  t.teardown(() => {
    queue.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, file, printer, queue };
}
type Tap = { teardown(fn: () => void): void };

t.test('PrintQueue', async (t) => {
  t.test('prints jobs in the order they were queued and empties the queue', async (t) => {
    const { printer, queue } = await setup(t);
    queue.enqueue(slip('A'), { txId: 'tx-1' });
    queue.enqueue(slip('B'), { txId: 'tx-1' });
    t.equal(queue.depth(), 2);
    await queue.pump();
    t.same(printer.sheets.map((s) => s.lines[0]), ['SLIP A', 'SLIP B']);
    t.equal(queue.depth(), 0);
    t.same(queue.jobs().map((j) => j.status), ['done', 'done']);
  });

  t.test('enqueues inside the caller\'s transaction and loses the job when it rolls back', async (t) => {
    const { db, queue } = await setup(t);
    const tx = db.transaction((fail: boolean) => {
      queue.enqueue(slip('X'), { txId: 'tx-x' });
      if (fail) throw new Error('ledger write failed');
    });
    t.throws(() => tx(true));
    t.equal(queue.depth(), 0);
    tx(false);
    t.equal(queue.depth(), 1);
  });

  t.test('reprints a slip cut short by paper out once, marked CETAK ULANG, after the paper is changed', async (t) => {
    const { printer, queue } = await setup(t);
    const faults: string[] = [];
    let recovered = 0;
    queue.on('fault', (e) => faults.push(e.code));
    queue.on('recovered', () => recovered++);
    queue.enqueue(slip('A', 6), { txId: 'tx-1' });
    queue.enqueue(slip('B', 2), { txId: 'tx-2' });
    printer.runOutOfPaperAfter(2);
    await queue.pump();
    t.same(faults, ['PAPER_OUT']);
    t.equal(queue.depth(), 2, 'neither job is lost');
    t.equal(printer.sheets.length, 1);
    t.equal(printer.sheets[0].complete, false);

    await queue.pump();
    t.equal(printer.sheets.length, 1, 'nothing prints while the paper is still out');
    t.same(faults, ['PAPER_OUT'], 'the same fault is reported once');

    printer.loadPaper();
    await queue.pump();
    t.equal(recovered, 1);
    const [, again, next] = printer.sheets;
    t.equal(again.lines[0].trim(), REPRINT_MARK);
    t.equal(again.lines[2], 'SLIP A');
    t.equal(again.lines.filter((l) => l.trim() === REPRINT_MARK).length, 2, 'banner at top and bottom');
    t.equal(next.lines[0], 'SLIP B', 'the job behind it prints unmarked: none of it reached paper');
    t.equal(printer.sheets.length, 3, 'printed exactly once more');
    t.equal(queue.depth(), 0);
  });

  t.test('holds a job refused with the cover open and prints it unmarked once closed', async (t) => {
    const { printer, queue } = await setup(t);
    const faults: string[] = [];
    queue.on('fault', (e) => faults.push(e.code));
    printer.setStatus({ coverOpen: true, online: false });
    queue.enqueue(slip('A'), { txId: 'tx-1' });
    await queue.pump();
    t.same(faults, ['COVER_OPEN']);
    t.equal(printer.sheets.length, 0);
    t.equal(queue.jobs()[0].reprint, false, 'nothing was sent, so no duplicate can exist');
    printer.setStatus({ coverOpen: false, online: true });
    await queue.pump();
    t.equal(printer.sheets[0].lines[0], 'SLIP A');
  });

  t.test('reports an unplugged printer as PRINTER_ABSENT and keeps the job', async (t) => {
    const { printer, queue } = await setup(t);
    const faults: PrinterError[] = [];
    queue.on('fault', (e) => faults.push(e));
    printer.unplug();
    queue.enqueue(slip('A'), { txId: null });
    await queue.pump();
    t.equal(faults[0]?.code, 'PRINTER_ABSENT');
    t.equal(queue.depth(), 1);
  });

  t.test('prints a job interrupted by a power cut once more, marked CETAK ULANG, after restart', async (t) => {
    const { db, file, queue } = await setup(t);
    const id = queue.enqueue(slip('A'), { txId: 'tx-1' });
    // The power went while the job was on its way to the printer.
    db.prepare(`UPDATE print_queue SET status = 'printing' WHERE id = ?`).run(id);
    db.close();

    const db2 = new Database(file);
    t.teardown(() => db2.close());
    const printer2 = new SimPrinter({ columns: 32 });
    await printer2.open();
    const queue2 = new PrintQueue({ db: db2, printer: printer2 });
    t.equal(queue2.depth(), 1);
    await queue2.pump();
    t.equal(printer2.sheets.length, 1);
    t.equal(printer2.sheets[0].lines[0].trim(), REPRINT_MARK);
  });

  t.test('reprintLast queues the newest printed slip again, marked CETAK ULANG', async (t) => {
    const { printer, queue } = await setup(t);
    t.equal(queue.reprintLast(), null, 'nothing to reprint before the first slip');
    queue.enqueue(slip('A'), { txId: 'tx-1' });
    queue.enqueue(slip('B'), { txId: 'tx-2' });
    await queue.pump();
    const id = queue.reprintLast();
    t.type(id, 'number');
    await queue.pump();
    const last = printer.sheets.at(-1);
    t.equal(last?.lines[0].trim(), REPRINT_MARK);
    t.equal(last?.lines[2], 'SLIP B');
    t.equal(queue.jobs().at(-1)?.txId, 'tx-2');
  });

  t.test('keeps slip contents only for the newest printed job', async (t) => {
    const { db, queue } = await setup(t);
    queue.enqueue(slip('A'), { txId: 'tx-1' });
    queue.enqueue(slip('B'), { txId: 'tx-2' });
    await queue.pump();
    const kept = db.prepare('SELECT id FROM print_queue WHERE doc IS NOT NULL').all();
    t.equal(kept.length, 1);
  });

  t.test('shares one run between concurrent pumps and picks up jobs queued meanwhile', async (t) => {
    const { printer, queue } = await setup(t);
    queue.enqueue(slip('A'), { txId: null });
    const first = queue.pump();
    queue.enqueue(slip('B'), { txId: null });
    const second = queue.pump();
    await Promise.all([first, second]);
    t.same(printer.sheets.map((s) => s.lines[0]), ['SLIP A', 'SLIP B']);
  });

  t.test('probe reports a fault while idle and its recovery', async (t) => {
    const { printer, queue } = await setup(t);
    const events: string[] = [];
    queue.on('fault', (e) => events.push(e.code));
    queue.on('recovered', () => events.push('recovered'));
    printer.setStatus({ paper: 'out', online: false });
    await queue.probe();
    printer.loadPaper();
    await queue.probe();
    t.same(events, ['PAPER_OUT', 'recovered']);
    printer.setStatus({ paper: 'near_end' });
    await queue.probe();
    t.equal(queue.lastStatus?.paper, 'near_end', 'a near-end roll is visible for health but is no fault');
    t.equal(queue.fault, null);
  });
});
