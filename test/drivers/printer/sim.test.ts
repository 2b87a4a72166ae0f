import t from 'tap';
import { SimPrinter } from '../../../drivers/printer/sim.ts';
import type { SlipDocument } from '../../../drivers/printer/types.ts';

const doc: SlipDocument = { kind: 'test', lines: [{ kind: 'text', text: 'SATU' }, { kind: 'text', text: 'DUA' }, { kind: 'text', text: 'TIGA' }] };

t.test('SimPrinter', async (t) => {
  t.test('keeps each printed slip as text lines', async (t) => {
    const p = new SimPrinter({ columns: 32 });
    await p.open();
    await p.print(doc);
    t.same(p.sheets, [{ kind: 'test', lines: ['SATU', 'DUA', 'TIGA'], complete: true }]);
  });
  t.test('refuses to print before open', async (t) => {
    const p = new SimPrinter({ columns: 32 });
    await t.rejects(p.print(doc), { code: 'PRINTER_IO' });
  });
  t.test('refuses a job with the cover open without printing anything', async (t) => {
    const p = new SimPrinter({ columns: 48 });
    await p.open();
    p.setStatus({ coverOpen: true });
    await t.rejects(p.print(doc), { code: 'COVER_OPEN', detail: { sent: false } });
    t.equal(p.sheets.length, 0);
  });
  t.test('cuts a slip short when the roll ends and reports PAPER_OUT as possibly printed', async (t) => {
    const p = new SimPrinter({ columns: 32 });
    await p.open();
    p.runOutOfPaperAfter(1);
    await t.rejects(p.print(doc), { code: 'PAPER_OUT', detail: { sent: true } });
    t.same(p.sheets[0], { kind: 'test', lines: ['SATU'], complete: false });
    t.match(await p.status(), { paper: 'out', online: false });
  });
  t.test('reports PRINTER_ABSENT when unplugged', async (t) => {
    const p = new SimPrinter({ columns: 32 });
    await p.open();
    p.unplug();
    await t.rejects(p.status(), { code: 'PRINTER_ABSENT' });
  });
});
