import t from 'tap';
import { parseConfig } from '../../../agent/config/load.ts';
import { Batches } from '../../../agent/ledger/batches.ts';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { purgePersonalData } from '../../../agent/ledger/retention.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import { beritaAcaraHtml } from '../../../agent/reports/beritaAcaraHtml.ts';
import { beritaAcaraSlip } from '../../../agent/slips/index.ts';
import { slipSite } from '../../../agent/transaction/slipBuilder.ts';
import { reconciliationCsv, reconciliationReport } from '../../../agent/reports/reconciliationReport.ts';
import { recordOfProcessing } from '../../../agent/reports/ropa.ts';
import { terbilang } from '../../../agent/reports/terbilang.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

const config = parseConfig({});

function closedDay() {
  const f = ledgerWithRoster(3);
  const [a, b] = f.residents;
  f.ledger.intake(a.letterNo, 'A');
  f.ledger.intake(b.letterNo, 'A');
  const ticketA = f.ledger.nextWaiting()!;
  f.ledger.createTransaction('tx-a', ticketA, 'CALLED', '{}');
  for (const [kind, ref, to] of [['ektp', a.cardUid, 'issued'], ['old_ktp', a.letterNo, 'kept'], ['letter', a.letterNo, 'kept']] as const) {
    f.ledger.move(kind, ref, to as never, 'tx-a', 'handover');
  }
  f.ledger.move('queue_ticket', `${ticketA.day}/${ticketA.number}`, 'kept', 'tx-a', 'handover');
  f.ledger.move('receipt', 'tx-a', 'kept', 'tx-a', 'handover', ticketA.residentId);
  f.ledger.setTicketState(ticketA.id, 'served');
  f.ledger.closeTransaction('tx-a', 'berhasil', null);
  return f;
}

t.test('terbilang', async (t) => {
  t.test('spells counts and dates the way a berita acara writes them', async (t) => {
    t.equal(terbilang(0), 'nol');
    t.equal(terbilang(11), 'sebelas');
    t.equal(terbilang(12), 'dua belas');
    t.equal(terbilang(27), 'dua puluh tujuh');
    t.equal(terbilang(100), 'seratus');
    t.equal(terbilang(1000), 'seribu');
    t.equal(terbilang(2026), 'dua ribu dua puluh enam');
    t.throws(() => terbilang(-1), RangeError);
  });
});

t.test('reconciliationReport', async (t) => {
  t.test('exports balances as JSON and CSV without names or NIKs', async (t) => {
    const { ledger, residents } = closedDay();
    const r = reconciliationReport(ledger, config);
    t.ok(r.reconciliation.ok, r.reconciliation.problems.join('; '));
    const csv = reconciliationCsv(r);
    t.match(csv, /kec-demo,loket-1,\d{4}-\d{2}-\d{2},ektp,issued,1,3,ya/);
    const text = JSON.stringify(r) + csv;
    for (const res of residents) {
      t.notOk(text.includes(res.biodata.nik));
      t.notOk(text.includes(res.biodata.name));
    }
  });
});

t.test('beritaAcaraHtml', async (t) => {
  t.test('lays out an A4 letter with kop, number, parties, masked list and signatures', async (t) => {
    const { ledger, residents } = closedDay();
    const batches = new Batches(ledger);
    const b = batches.sign(batches.create('old_ktp_handover', { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer })!.id);
    const html = beritaAcaraHtml(b, config, ledger.chainHead());
    t.match(html, /@page \{ size: A4/);
    t.match(html, /PEMERINTAH KOTA DEMO/);
    t.match(html, new RegExp(`Nomor: ${b.number}`));
    t.match(html, /Jumlah: <b>1 \(satu\) keping KTP lama<\/b>/);
    t.match(html, /PIHAK KEDUA<br>Yang Menerima/);
    t.notOk(html.includes(residents[0].biodata.nik), 'NIK masked');
    t.match(html, /327302\*{6}\d{4}/);
  });
  t.test('carries the ledger seal: the audit chain head the thermal berita acara prints', async (t) => {
    const { ledger } = closedDay();
    const batches = new Batches(ledger);
    const b = batches.sign(batches.create('old_ktp_handover', { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer })!.id);
    const head = ledger.chainHead();
    t.ok(head.id > 0);
    const html = beritaAcaraHtml(b, config, head);
    const seal = html.match(/Segel register serah terima #(\d+): <span class="seal">([0-9a-f ]+)<\/span>/);
    t.ok(seal, 'labelled in Bahasa Indonesia');
    t.equal(Number(seal![1]), head.id, 'the head row id');
    t.equal(seal![2].replaceAll(' ', ''), head.hash, 'the head MAC, in full');
    const thermal = beritaAcaraSlip(
      { type: 'ktp_lama', number: b.number, at: b.signedAt!, site: slipSite(config), pihakPertama: b.pihakPertama, pihakKedua: b.pihakKedua, items: [], ledgerSeal: head },
      32,
    );
    const text = JSON.stringify(thermal);
    t.ok(text.includes(`Segel buku besar #${head.id}:`) && text.includes(seal![2]), 'the same id and hash, grouped the same, as on the thermal slip');
  });
});

t.test('berita acara in the Dinas style', async (t) => {
  const parties = { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer };
  t.test('numbers batches with the configured format', async (t) => {
    const { ledger } = closedDay();
    const dinas = parseConfig({ beritaAcara: { numberFormat: '470/{urut}/{kode}/{bulanRomawi}/{tahun}' } });
    const b = new Batches(ledger, { numberFormat: dinas.beritaAcara.numberFormat }).create('old_ktp_handover', parties)!;
    t.match(b.number, /^470\/001\/BA-STK-KTPL\/(XI|XII)\/2026$/);
    let problems: readonly string[] = [];
    try {
      parseConfig({ beritaAcara: { numberFormat: '470/{nomor}' } });
    } catch (err) {
      problems = (err as { problems: readonly string[] }).problems;
    }
    t.match(problems, [/beritaAcara.numberFormat: unknown token \{nomor\}/, /must contain \{urut\}/]);
  });
  t.test('without {kode}, numbers run across kinds so two batches never share one', async (t) => {
    const f = closedDay();
    const batches = new Batches(f.ledger, { numberFormat: 'BA/{urut}/{tahun}' });
    const first = batches.sign(batches.create('old_ktp_handover', parties)!.id);
    const second = batches.create('old_ktp_destruction', parties)!;
    t.not(first.number, second.number);
    t.match(second.number, /^BA\/002\//);
  });
  t.test('states the destruction method only when the office configured one', async (t) => {
    const f = closedDay();
    const batches = new Batches(f.ledger);
    batches.sign(batches.create('old_ktp_handover', parties)!.id);
    const destroyed = batches.sign(batches.create('old_ktp_destruction', parties)!.id);
    const plain = beritaAcaraHtml(destroyed, config, f.ledger.chainHead());
    t.notMatch(plain, /dengan cara/);
    t.notMatch(plain, /dipotong|dibakar/);
    t.match(plain, /memusnahkan KTP lama yang berada dalam penguasaan Dinas, dengan rincian/);
    const shredded = beritaAcaraHtml(destroyed, parseConfig({ beritaAcara: { destructionMethod: 'dicacah dengan mesin penghancur kertas' } }), f.ledger.chainHead());
    t.match(shredded, /penguasaan Dinas dengan cara dicacah dengan mesin penghancur kertas, dengan rincian/);
    t.match(shredded, /Kode hash: [0-9a-f]{64}/);
    t.notMatch(shredded, /buku besar|blangko|Sidik digital/);
  });
});

t.test('purgePersonalData', async (t) => {
  t.test('erases NIK and name past retention once every item is settled; counts and audit stay', async (t) => {
    const f = closedDay();
    const batches = new Batches(f.ledger);
    t.equal(purgePersonalData(f.ledger, 1).residents, 0, 'the old KTP is still kept: not settled');
    batches.sign(batches.create('old_ktp_handover', { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer })!.id);
    batches.sign(batches.create('old_ktp_destruction', { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer })!.id);
    t.equal(purgePersonalData(f.ledger, 365).residents, 0, 'not yet past retention');
    // The same ledger file, opened 400 days later; 400 days without a ledger entry: a person
    // checked the date (retention refuses otherwise).
    const later = new Ledger(f.db, () => new Date(Date.now() + 400 * 86_400_000), 'Asia/Jakarta', { chainKey: f.ledger.chainKey });
    t.equal(purgePersonalData(later, 365, { dryRun: true, clockChecked: true }).residents, 1);
    t.equal(purgePersonalData(later, 365, { clockChecked: true }).residents, 1);
    const row = f.db.prepare('SELECT nik, name, purged_at FROM residents WHERE letter_no = ?').get(f.residents[0].letterNo) as Record<string, unknown>;
    t.equal(row.nik, null);
    t.equal(row.name, null);
    t.ok(row.purged_at);
    t.ok(reconcile(f.db).ok, 'reconciliation still holds');
    t.ok(verifyLedger(f.db).ok, verifyLedger(f.db).problems.join('; '));
    const ropa = recordOfProcessing(f.ledger, config);
    t.equal(ropa.counts.residentsPurged, 1);
  });
});
