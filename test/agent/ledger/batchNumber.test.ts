import t from 'tap';
import { DEFAULT_NUMBER_FORMAT, formatBatchNumber, numberFormatProblems, numbersPerKind } from '../../../agent/ledger/batchNumber.ts';

t.test('formats berita acara numbers in the Dinas style', async (t) => {
  const facts = { kode: 'BA-STK-KTPL', seq: 17, date: '2026-11-27' };
  t.equal(formatBatchNumber(DEFAULT_NUMBER_FORMAT, facts), 'BA-STK-KTPL/20261127/017');
  t.equal(formatBatchNumber('470/{urut}/{kode}/{bulanRomawi}/{tahun}', facts), '470/017/BA-STK-KTPL/XI/2026');
  t.equal(formatBatchNumber('BA-{urut}/DPK/{hari}.{bulan}.{tahun}', { ...facts, seq: 3, date: '2026-01-05' }), 'BA-003/DPK/05.01.2026');
  t.ok(numbersPerKind(DEFAULT_NUMBER_FORMAT));
  t.notOk(numbersPerKind('470/{urut}/{bulanRomawi}/{tahun}'));
});

t.test('lists every problem with a format', async (t) => {
  t.same(numberFormatProblems('470/{urut}/{kode}/{bulanRomawi}/{tahun}'), []);
  t.match(numberFormatProblems('470/{nomor}/{kode}'), [/unknown token \{nomor\}/, /must contain \{urut\}/]);
  t.match(numberFormatProblems('{urut}/{kode'), [/unmatched/]);
  t.match(numberFormatProblems(''), [/must be a text/]);
});
