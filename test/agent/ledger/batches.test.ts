import t from 'tap';
import type Database from 'better-sqlite3';
import { Batches } from '../../../agent/ledger/batches.ts';
import type { Ledger } from '../../../agent/ledger/ledger.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import type { VirtualResident } from '../../../agent/sim/residents.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

const parties = {
  pihakPertama: { name: 'SRI WAHYUNI', position: 'Petugas Loket', nip: '198001012005012001' },
  pihakKedua: { name: 'AHMAD FAUZI', position: 'Kepala Bidang PIAK', nip: '197502022000031002' },
};

/** Two residents served berhasil (old KTP kept), one gagal (e-KTP retained), one untouched. */
function servedDay(): { ledger: Ledger; residents: VirtualResident[]; db: Database.Database } {
  const f = ledgerWithRoster(4);
  for (const r of f.residents.slice(0, 3)) f.ledger.intake(r.letterNo, 'A');
  for (const r of f.residents.slice(0, 2)) {
    f.ledger.move('ektp', r.cardUid, 'issued', null, 'handover');
    f.ledger.move('old_ktp', r.letterNo, 'kept', null, 'handover');
    f.ledger.move('letter', r.letterNo, 'kept', null, 'handover');
  }
  const g = f.residents[2];
  f.ledger.move('ektp', g.cardUid, 'retained', null, 'return_for_destruction');
  f.ledger.move('old_ktp', g.letterNo, 'returned', null, 'verdict_gagal');
  f.ledger.move('letter', g.letterNo, 'returned', null, 'verdict_gagal');
  return f;
}

t.test('Batches', async (t) => {
  t.test('a destruction batch takes every retained e-KTP and signing sends them off', async (t) => {
    const { ledger, residents, db } = servedDay();
    const batches = new Batches(ledger);
    const draft = batches.create('ektp_destruction', parties);
    t.ok(draft);
    t.equal(draft!.lines.length, 1);
    t.match(draft!.number, /^BA-PMS-KTPEL\/\d{8}\/001$/);
    const signed = batches.sign(draft!.id);
    t.match(signed.digest, /^[0-9a-f]{64}$/);
    t.equal(ledger.itemState('ektp', residents[2].cardUid), 'sent_for_destruction');
    t.equal(batches.create('ektp_destruction', parties), null, 'nothing left to send');
    t.ok(reconcile(db).ok);
    t.ok(verifyLedger(db).ok, verifyLedger(db).problems.join('; '));
  });
  t.test('old KTPs go to the Dinas with a berita acara; the Dinas lends and destroys from there (step 16)', async (t) => {
    const { ledger, residents, db } = servedDay();
    const batches = new Batches(ledger);
    t.throws(() => batches.lend(residents[0].letterNo, '2026-12-31'), { code: 'WRONG_STATE' }, 'not lent straight from the counter');
    t.equal(batches.create('old_ktp_destruction', parties), null, 'nor destroyed straight from the counter');
    const handover = batches.create('old_ktp_handover', parties)!;
    t.equal(handover.lines.length, 2);
    batches.sign(handover.id);
    batches.lend(residents[0].letterNo, '2026-12-31');
    t.equal(ledger.itemState('old_ktp', residents[0].letterNo), 'lent');
    const whileLent = batches.create('old_ktp_destruction', parties)!;
    t.equal(whileLent.lines.length, 1, 'a lent KTP is not in the destruction');
    batches.returnLoan(residents[0].letterNo);
    t.equal(ledger.itemState('old_ktp', residents[0].letterNo), 'handed_over', 'back in the Dinas custody');
    t.throws(() => batches.returnLoan(residents[0].letterNo), { code: 'WRONG_STATE' });
    const destruction = batches.sign(batches.create('old_ktp_destruction', parties)!.id);
    t.equal(destruction.lines.length, 2, 'the handed-over one and the one back from loan');
    const r = reconcile(db);
    t.ok(r.ok, r.problems.join('; '));
    t.same(r.items.old_ktp.byState, { held: 0, awaiting_return: 0, returned: 1, kept: 0, lent: 0, handed_over: 0, destroyed: 2 });
  });
  t.test('only an old KTP in the Dinas custody can be lent', async (t) => {
    const { residents, ledger } = servedDay();
    t.throws(() => new Batches(ledger).lend(residents[2].letterNo, '2026-12-31'), { code: 'WRONG_STATE' });
  });
  t.test('the destruction berita acara names why each card goes: rusak or not handed over', async (t) => {
    const { ledger, residents } = ledgerWithRoster(4);
    const reasons = ['print_mismatch', 'card_damaged', 'data_mismatch', 'fp_quality'] as const;
    ledger.atomically(() => {
      reasons.forEach((reason, i) => {
        const { ticket, resident } = ledger.intake(residents[i].letterNo, 'A');
        ledger.createTransaction(`tx-${i}`, ticket, 'CLOSED', '{}');
        ledger.closeTransaction(`tx-${i}`, 'gagal', reason);
        ledger.move('ektp', resident.cardUid, 'retained', `tx-${i}`, 'return_for_destruction');
      });
    });
    t.same(
      new Batches(ledger).create('ektp_destruction', parties)!.lines.map((l) => l.reason),
      ['Rusak (tulisan pada kartu tidak sesuai data chip)', 'Rusak (fisik kartu)', 'Data tidak sesuai dokumen pengesahan', 'Sidik jari tidak dapat diverifikasi'],
    );
  });
});
