import t from 'tap';
import {
  beritaAcaraSlip,
  dailyReportSlip,
  dataCheckSlip,
  queueTicket,
  receiptSlip,
  reprintBanner,
  REPRINT_MARK,
  resultSlip,
} from '../../../agent/slips/index.ts';
import { SAMPLES } from '../../../agent/slips/samples.ts';
import { renderText } from '../../../drivers/printer/layout.ts';
import type { SlipDocument } from '../../../drivers/printer/types.ts';
import { golden } from '../../fixtures/slips/golden.ts';

const WIDTHS = [32, 48] as const;

/** The slip's words with line wrapping undone, for assertions about what it says. */
function said(doc: SlipDocument, columns: number): string {
  return renderText(doc, columns).join(' ').replace(/\s+/g, ' ');
}

/** Each slip kind, every width: the decoded text equals the reviewed golden file. */
const CASES: ReadonlyArray<{ unit: string; fixture: string; make: (columns: number) => SlipDocument }> = [
  { unit: 'queueTicket', fixture: 'queue-ticket', make: (c) => queueTicket(SAMPLES.queueTicket, c) },
  { unit: 'dataCheckSlip', fixture: 'data-check', make: (c) => dataCheckSlip(SAMPLES.dataCheck, c) },
  { unit: 'resultSlip (berhasil)', fixture: 'result-berhasil', make: (c) => resultSlip(SAMPLES.resultBerhasil, c) },
  { unit: 'resultSlip (gagal)', fixture: 'result-gagal', make: (c) => resultSlip(SAMPLES.resultGagal, c) },
  { unit: 'resultSlip (disputed)', fixture: 'result-disputed', make: (c) => resultSlip(SAMPLES.resultDisputed, c) },
  { unit: 'receiptSlip', fixture: 'receipt', make: (c) => receiptSlip(SAMPLES.receipt, c) },
  { unit: 'beritaAcaraSlip', fixture: 'berita-acara', make: (c) => beritaAcaraSlip(SAMPLES.beritaAcara, c) },
  { unit: 'dailyReportSlip', fixture: 'daily-report', make: (c) => dailyReportSlip(SAMPLES.dailyReport, c) },
];

for (const { unit, fixture, make } of CASES) {
  t.test(unit, async (t) => {
    for (const columns of WIDTHS) {
      t.test(`matches the reviewed ${columns}-column text`, async (t) => {
        const lines = renderText(make(columns), columns);
        const { actual, expected } = golden(`${fixture}-${columns}`, lines);
        t.not(expected, null, `test/fixtures/slips/${fixture}-${columns}.txt exists`);
        t.equal(actual, expected);
      });
      t.test(`keeps every text line within ${columns} columns`, async (t) => {
        const wide = renderText(make(columns), columns).filter((l) => l.length > columns && !l.includes('[QR '));
        t.same(wide, []);
      });
    }
    t.test('never prints a full NIK', async (t) => {
      for (const columns of WIDTHS) {
        const text = renderText(make(columns), columns).join('\n');
        t.notMatch(text, /(?<!\d)\d{16}(?!\d)/);
      }
    });
  });
}

t.test('resultSlip', async (t) => {
  t.test('tells a failed resident to correct data on site or re-enrol, with the reason', async (t) => {
    const text = said(resultSlip(SAMPLES.resultGagal, 48), 48);
    t.match(text, /G A G A L/);
    t.match(text, /Sidik jari tidak cocok/);
    t.match(text, /perbaiki data di tempat atau lakukan perekaman ulang/);
    t.match(text, /\[QR 0b8e4d21-93aa-4f57-8c2e-61d7f0a9b4c5\]/);
  });
  t.test('sends a disputed berhasil to the data correction service', async (t) => {
    const text = said(resultSlip(SAMPLES.resultDisputed, 48), 48);
    t.match(text, /B E R H A S I L/);
    t.match(text, /Arahkan ke layanan perbaikan data/);
  });
  t.test('rejects a paper width it has no layout for', async (t) => {
    t.throws(() => resultSlip(SAMPLES.resultGagal, 40), RangeError);
  });
});

t.test('receiptSlip', async (t) => {
  t.test('prints the staff copy label on the petugas copy', async (t) => {
    const text = said(receiptSlip({ ...SAMPLES.receipt, copy: 'petugas' }, 32), 32);
    t.match(text, /Lembar untuk Petugas/);
    t.match(text, /Layanan ini tidak dipungut biaya/);
  });
  t.test('adds the correction-service note when the data was disputed', async (t) => {
    const text = said(receiptSlip({ ...SAMPLES.receipt, disputed: true }, 48), 48);
    t.match(text, /arahkan ke layanan perbaikan data/);
  });
});

t.test('dailyReportSlip', async (t) => {
  t.test('prints SELISIH with the sign when the physical count disagrees', async (t) => {
    const data = { ...SAMPLES.dailyReport, cards: { ...SAMPLES.dailyReport.cards, closingCounted: 80 } };
    t.match(said(dailyReportSlip(data, 32), 32), /SELISIH -2 KEPING/);
  });
  t.test('says the closing count is pending when nobody counted yet', async (t) => {
    const data = { ...SAMPLES.dailyReport, cards: { ...SAMPLES.dailyReport.cards, closingCounted: null } };
    t.match(said(dailyReportSlip(data, 48), 48), /belum dihitung/);
  });
});

t.test('beritaAcaraSlip', async (t) => {
  t.test('titles the old-KTP handover and counts an empty list as zero', async (t) => {
    const text = said(beritaAcaraSlip({ ...SAMPLES.beritaAcara, type: 'ktp_lama', items: [] }, 48), 48);
    t.match(text, /SERAH TERIMA KTP LAMA/);
    t.match(text, /Jumlah\s+0 keping/);
  });
});

t.test('reprintBanner', async (t) => {
  t.test('marks a reprint CETAK ULANG at the top and above the tear-off feed', async (t) => {
    const doc = reprintBanner(queueTicket(SAMPLES.queueTicket, 32));
    const lines = renderText(doc, 32);
    t.equal(lines[0].trim(), REPRINT_MARK);
    t.equal(lines.filter((l) => l.trim() === REPRINT_MARK).length, 2);
    t.equal(lines.at(-1), '', 'the feed stays last so the banner is not cut off');
    t.equal(lines.at(-2)?.trim(), REPRINT_MARK);
  });
});
