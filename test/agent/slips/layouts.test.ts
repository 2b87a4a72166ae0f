import t from 'tap';
import {
  beritaAcaraSlip,
  dailyReportSlip,
  dataCheckSlip,
  oldKtpHandbackHeldSlip,
  oldKtpHandbackSlip,
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
  { unit: 'resultSlip (data mismatch)', fixture: 'result-mismatch', make: (c) => resultSlip(SAMPLES.resultMismatch, c) },
  { unit: 'resultSlip (rusak)', fixture: 'result-rusak', make: (c) => resultSlip(SAMPLES.resultRusak, c) },
  { unit: 'receiptSlip', fixture: 'receipt', make: (c) => receiptSlip(SAMPLES.receipt, c) },
  { unit: 'receiptSlip (staff copy)', fixture: 'receipt-staff', make: (c) => receiptSlip({ ...SAMPLES.receipt, copy: 'petugas' }, c) },
  { unit: 'oldKtpHandbackSlip', fixture: 'old-ktp-handback', make: (c) => oldKtpHandbackSlip(SAMPLES.oldKtpHandback, c) },
  {
    unit: 'oldKtpHandbackHeldSlip (resident)',
    fixture: 'old-ktp-handback-held',
    make: (c) => oldKtpHandbackHeldSlip({ ...SAMPLES.oldKtpHandback, code: 'LEDGER_TAMPERED', copy: 'penduduk' }, c),
  },
  {
    unit: 'oldKtpHandbackHeldSlip (staff copy)',
    fixture: 'old-ktp-handback-held-staff',
    make: (c) => oldKtpHandbackHeldSlip({ ...SAMPLES.oldKtpHandback, code: 'LEDGER_TAMPERED', copy: 'petugas' }, c),
  },
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
    t.test(fixture === 'data-check' ? 'prints the full NIK only grouped for comparison' : 'never prints a full NIK', async (t) => {
      for (const columns of WIDTHS) {
        const text = renderText(make(columns), columns).join('\n');
        t.notMatch(text, /(?<!\d)\d{16}(?!\d)/);
        if (fixture === 'data-check') t.match(text, /NIK\s+: 340404 170885 9001/);
        else t.notMatch(text.replace(/\s/g, ''), /3404041708859001|170885/, 'no birth-date digits of the sample NIK either');
      }
    });
  });
}

t.test('resultSlip', async (t) => {
  t.test('names the summons letter it is stapled to', async (t) => {
    for (const columns of WIDTHS) t.match(said(resultSlip(SAMPLES.resultBerhasil, columns), columns), /No\. Surat\s*: 474\.4\/0412\/DPK\/2026/);
  });
  t.test('tells a resident whose finger did not match to re-enrol, in words for the resident', async (t) => {
    const text = said(resultSlip(SAMPLES.resultGagal, 48), 48);
    t.match(text, /G A G A L/);
    t.match(text, /Sidik jari tidak cocok/);
    t.match(text, /perekaman ulang sidik jari/);
    t.match(text, /KTP lama dan surat panggilan dikembalikan kepada Anda/);
    t.match(text, /\[QR 0b8e4d21-93aa-4f57-8c2e-61d7f0a9b4c5\]/);
    t.notMatch(text, /[Aa]rahkan/, 'no instruction to staff on a slip the resident takes home');
  });
  t.test('says a disputed berhasil matched the dokumen pengesahan and where to correct data', async (t) => {
    const text = said(resultSlip(SAMPLES.resultDisputed, 48), 48);
    t.match(text, /B E R H A S I L/);
    t.match(text, /sama dengan dokumen pengesahan/);
    t.match(text, /pelayanan reguler/);
    t.notMatch(text, /[Aa]rahkan/);
  });
  t.test('gives each gagal reason its own text', async (t) => {
    const mismatch = said(resultSlip(SAMPLES.resultMismatch, 48), 48);
    t.match(mismatch, /Data KTP-el tidak sesuai dengan dokumen pengesahan/);
    t.match(mismatch, /mengundang Anda untuk pembetulan data/);
    const rusak = said(resultSlip(SAMPLES.resultRusak, 48), 48);
    t.match(rusak, /Tulisan pada kartu tidak sesuai dengan data chip/);
    t.match(rusak, /KTP-el pengganti/);
    t.match(said(resultSlip({ ...SAMPLES.resultRusak, reason: 'card_damaged' }, 32), 32), /Alasan : KTP-el rusak/);
  });
  t.test('rejects a paper width it has no layout for', async (t) => {
    t.throws(() => resultSlip(SAMPLES.resultGagal, 40), RangeError);
  });
});

t.test('dataCheckSlip', async (t) => {
  t.test('shows every printed field including Gol. Darah, and asks for the slip back', async (t) => {
    for (const columns of WIDTHS) {
      const text = said(dataCheckSlip(SAMPLES.dataCheck, columns), columns);
      t.match(text, /PENCOCOKAN DATA KTP-el/);
      t.match(text, /Gol\. Darah\s+: O/);
      t.match(text, columns === 32 ? /Status Kawin\s*: KAWIN/ : /Status Perkawinan\s+: KAWIN/);
      t.match(text, /kembalikan slip ini kepada petugas/);
    }
  });
});

t.test('receiptSlip', async (t) => {
  t.test('says who received the card and has both signature captions', async (t) => {
    const text = said(receiptSlip(SAMPLES.receipt, 48), 48);
    t.match(text, /Telah diterima KTP-el oleh:/);
    t.match(text, /Yang Menerima,.*Yang Menyerahkan,/);
    t.match(text, /Lembar untuk Penerima/);
  });
  t.test('prints the staff copy label on the petugas copy', async (t) => {
    const doc = receiptSlip({ ...SAMPLES.receipt, copy: 'petugas' }, 32);
    t.equal(doc.kind, 'receipt_staff');
    const text = said(doc, 32);
    t.match(text, /Lembar untuk Petugas/);
    t.match(text, /Layanan ini tidak dipungut biaya/);
  });
  t.test('notes a disputed berhasil for the resident', async (t) => {
    const text = said(receiptSlip({ ...SAMPLES.receipt, disputed: true }, 48), 48);
    t.match(text, /sesuai dokumen pengesahan; pembetulan data melalui pelayanan reguler/);
  });
});

t.test('queueTicket', async (t) => {
  t.test('confirms the documents were received instead of asking for them', async (t) => {
    const text = said(queueTicket(SAMPLES.queueTicket, 32), 32);
    t.match(text, /KTP lama dan surat panggilan Anda sudah kami terima/);
    t.notMatch(text, /Siapkan/);
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
