import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCTOR_MESSAGES, describeError, verdict } from '../../../agent/doctor/messages.ts';
import { PrinterError } from '../../../drivers/printer/types.ts';

const STATUS_WORD = { pass: 'LULUS', warn: 'PERINGATAN', fail: 'GAGAL' } as const;

t.test('DOCTOR_MESSAGES', async (t) => {
  t.test('every code is explained, word for word, in the Bahasa Indonesia table of docs/appliance.md', async (t) => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/appliance.md'), 'utf8');
    for (const [code, [status, message]] of Object.entries(DOCTOR_MESSAGES)) {
      t.ok(doc.includes(`| \`${code}\` | ${STATUS_WORD[status]} | ${message} |`), code);
    }
  });
  t.test('every failure tells the operator what to do after the dash', async (t) => {
    for (const [code, [status, message]] of Object.entries(DOCTOR_MESSAGES)) {
      if (status !== 'pass') t.match(message, / — \S/, code);
    }
  });
});

t.test('verdict', async (t) => {
  t.test('takes status and text from the table and keeps the detail', async (t) => {
    t.same(verdict('printer', 'PRINTER_PAPER_OUT', 'paper=out'), {
      check: 'printer',
      code: 'PRINTER_PAPER_OUT',
      status: 'fail',
      message: 'Kertas printer habis — ganti gulungan kertas',
      detail: 'paper=out',
    });
  });
  t.test('describeError gives code and message, never a stack', async (t) => {
    t.equal(describeError(new PrinterError('COVER_OPEN', 'cover is open')), 'COVER_OPEN: cover is open');
    t.equal(describeError('plain'), 'plain');
  });
});
