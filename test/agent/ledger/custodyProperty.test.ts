import t from 'tap';
import fc from 'fast-check';
import { Batches, type BatchKind } from '../../../agent/ledger/batches.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import { isCodedError } from '../../../drivers/deviceError.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

const RESIDENTS = 8;
const parties = {
  pihakPertama: { name: 'PETUGAS', position: 'Petugas Loket' },
  pihakKedua: { name: 'PEJABAT', position: 'Kepala Bidang' },
};

type Op =
  | { op: 'intake'; i: number }
  | { op: 'serve'; outcome: 'berhasil' | 'gagal' | 'batal' }
  | { op: 'lend'; i: number }
  | { op: 'giveBack'; i: number }
  | { op: 'batch'; kind: BatchKind; sign: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('intake' as const), i: fc.nat(RESIDENTS - 1) }),
  fc.record({ op: fc.constant('serve' as const), outcome: fc.constantFrom('berhasil' as const, 'gagal' as const, 'batal' as const) }),
  fc.record({ op: fc.constant('lend' as const), i: fc.nat(RESIDENTS - 1) }),
  fc.record({ op: fc.constant('giveBack' as const), i: fc.nat(RESIDENTS - 1) }),
  fc.record({ op: fc.constant('batch' as const), kind: fc.constantFrom<BatchKind>('ektp_destruction', 'old_ktp_handover', 'old_ktp_destruction'), sign: fc.boolean() }),
);

/** The custody moves of each verdict, as the transaction's HANDOVER / RETURN_DOCS steps make them. */
const MOVES = {
  berhasil: [['ektp', 'issued'], ['old_ktp', 'kept'], ['letter', 'kept'], ['queue_ticket', 'kept'], ['receipt', 'kept']],
  gagal: [['ektp', 'retained'], ['old_ktp', 'returned'], ['letter', 'returned'], ['queue_ticket', 'kept']],
  batal: [['old_ktp', 'returned'], ['letter', 'returned'], ['queue_ticket', 'kept']],
} as const;

/** What the ledger accepted, per operation, over every generated day. */
type Done = Record<'intake' | 'berhasil' | 'gagal' | 'batal' | 'lend' | 'giveBack' | 'batch' | 'signed' | 'refused', number>;

t.test('custody through random days of pickups, batches, lends and returns', async (t) => {
  t.test('reconciles and verifies after any sequence', async (t) => {
    const done: Done = { intake: 0, berhasil: 0, gagal: 0, batal: 0, lend: 0, giveBack: 0, batch: 0, signed: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 20, maxLength: 60 }), (ops) => {
        const { ledger, residents, db } = ledgerWithRoster(RESIDENTS, { seed: 11 });
        const batches = new Batches(ledger);
        let tx = 0;
        const inState = (state: string, i: number) => {
          const found = residents.filter((r) => ledger.itemState('old_ktp', r.letterNo) === state);
          return found.length > 0 ? found[i % found.length] : residents[i];
        };
        for (const o of ops) {
          try {
            if (o.op === 'intake') {
              ledger.intake(residents[o.i].letterNo, 'A');
              done.intake += 1;
            }
            if (o.op === 'serve') {
              const ticket = ledger.nextWaiting();
              if (!ticket) continue;
              const resident = ledger.residentById(ticket.residentId);
              const id = `tx-${++tx}`;
              ledger.atomically(() => {
                ledger.createTransaction(id, ticket, 'CALLED', '{}');
                const refs = { ektp: resident.cardUid, old_ktp: resident.letterNo, letter: resident.letterNo, queue_ticket: `${ticket.day}/${ticket.number}`, receipt: id };
                for (const [kind, to] of MOVES[o.outcome]) ledger.move(kind, refs[kind], to as never, id, 'test', resident.id);
                ledger.setTicketState(ticket.id, o.outcome === 'batal' ? 'cancelled' : 'served');
                ledger.closeTransaction(id, o.outcome, null);
              });
              done[o.outcome] += 1;
            }
            if (o.op === 'lend') {
              // Only the Dinas lends, from old KTPs handed over with a signed berita acara (SOP step
              // 16): aim at one of those when there is one, else at anybody (and expect a refusal).
              batches.lend(inState('handed_over', o.i).letterNo, '2026-12-31');
              done.lend += 1;
            }
            if (o.op === 'giveBack') {
              batches.returnLoan(inState('lent', o.i).letterNo);
              done.giveBack += 1;
            }
            if (o.op === 'batch') {
              const b = batches.create(o.kind, parties);
              if (b) done.batch += 1;
              if (b && o.sign) {
                batches.sign(b.id);
                done.signed += 1;
              }
            }
          } catch (err) {
            // Refusals (wrong state, already queued, issued card) are the ledger doing its job.
            if (!isCodedError(err) || !['WRONG_STATE', 'ALREADY_QUEUED', 'ALREADY_ISSUED'].includes(err.code)) throw err;
            done.refused += 1;
          }
        }
        const r = reconcile(db);
        const v = verifyLedger(db);
        db.close();
        return r.ok && v.ok;
      }),
      { numRuns: 60, seed: 20261127 },
    );
    // A property over days where every operation is refused proves nothing: the days must have
    // moved custody. Seed 20261127 gives intake 287, berhasil 76, gagal 69, batal 70, lend 19,
    // giveBack 12, batch 69, signed 33 (847 refusals; lending only from handed-over old KTPs); the floors are about half of that, so a
    // generator change that still exercises the ledger passes and one that starves it fails.
    // (With the former 1-40 operations a day, fast-check's small sizes gave 63 intakes and no lend.)
    t.comment(`accepted over 60 days: ${JSON.stringify(done)}`);
    const floors: Omit<Done, 'refused'> = { intake: 140, berhasil: 38, gagal: 34, batal: 35, lend: 9, giveBack: 6, batch: 35, signed: 17 };
    for (const [op, floor] of Object.entries(floors)) t.ok(done[op as keyof Done] >= floor, `${done[op as keyof Done]} ${op} accepted, at least ${floor}`);
  });
});
