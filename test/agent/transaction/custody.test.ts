/**
 * The SOP's custody moves on a real ledger: each transaction is driven through `step` and every
 * step's ledger effects are committed as the runner does, then the item states are read back.
 * Steps as numbered in the procedure (agent/ledger/types.ts): 3 call, 5 queue number, 11 verdict,
 * 12-13 handover, 14 return, 15 damaged card.
 */
import t from 'tap';
import { commitLedgerEffect } from '../../../agent/transaction/ledgerEffects.ts';
import type { StepContext, TxInput, TxState } from '../../../agent/transaction/states.ts';
import { step } from '../../../agent/transaction/step.ts';
import type { ButtonName } from '../../../drivers/panel/types.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

const press = (button: ButtonName): TxInput => ({ type: 'button', input: { kind: 'press', button } });
const longPress = (button: ButtonName): TxInput => ({ type: 'button', input: { kind: 'long', button } });
const fingers = ['right_index', 'left_index'] as const;
const match: TxInput = { type: 'verified', outcome: { decision: 'match', score: 80, quality: 70 } };
const noMatch: TxInput = { type: 'verified', outcome: { decision: 'no_match', score: 3, quality: 70 } };

function counter(unverifiedDocuments: 'return' | 'hold' = 'return') {
  const { ledger, residents } = ledgerWithRoster(2);
  const resident = ledger.residentByLetter(residents[0].letterNo)!;
  const { ticket } = ledger.intake(resident.letterNo, 'A');
  const ctx: StepContext = {
    config: { fingerOrder: [...fingers], maxAttempts: 2, attemptsBeforeSwitch: 2, maxQualityRetries: 3, readAttempts: 2, maxDeviceFaults: 3, unverifiedDocuments },
    nextTicket: () => ledger.nextWaiting(),
    newTxId: () => 'tx-1',
    now: () => '2026-11-27T01:05:00.000Z',
  };
  let state: TxState = { name: 'IDLE' };
  const drive = (...inputs: TxInput[]) => {
    for (const input of inputs) {
      const before = state;
      const { next, effects } = step(before, input, ctx);
      const tx = 'tx' in next ? next.tx : 'tx' in before ? before.tx : null;
      ledger.atomically(() => {
        for (const e of effects) if (tx) commitLedgerEffect(ledger, e, tx, next);
      });
      state = next;
    }
    return state;
  };
  const where = () => ({
    ektp: ledger.itemState('ektp', resident.cardUid),
    old_ktp: ledger.itemState('old_ktp', resident.letterNo),
    letter: ledger.itemState('letter', resident.letterNo),
    queue_ticket: ledger.itemState('queue_ticket', `${ticket.day}/${ticket.number}`),
    receipt: ledger.itemState('receipt', 'tx-1'),
  });
  return { ledger, drive, where };
}

const atDesk = [{ type: 'card_present' }, { type: 'card_read', check: 'ok', fingers: [...fingers] }] as TxInput[];

t.test('intake: the support officer holds old KTP and letter, the resident the queue number', async (t) => {
  const { where } = counter();
  t.same(where(), { ektp: 'on_hand', old_ktp: 'held', letter: 'held', queue_ticket: 'with_resident', receipt: null });
});

t.test('step 3: at the call e-KTP and letter pass to the operator, the old KTP stays', async (t) => {
  const { drive, where } = counter();
  drive(press('PANGGIL'));
  t.same(where(), { ektp: 'with_operator', old_ktp: 'held', letter: 'with_operator', queue_ticket: 'with_resident', receipt: null });
});

t.test('step 5: the queue number is handed over when the resident answers the call', async (t) => {
  const { drive, where } = counter();
  drive(press('PANGGIL'), { type: 'card_present' });
  t.equal(where().queue_ticket, 'with_operator');
});

t.test('steps 11-13: berhasil passes everything to the support officer, then the handover settles it', async (t) => {
  const { drive, where, ledger } = counter();
  drive(press('PANGGIL'), ...atDesk, press('SESUAI'), match);
  t.same(where(), { ektp: 'with_support', old_ktp: 'held', letter: 'with_support', queue_ticket: 'with_support', receipt: null }, 'step 11');
  drive(press('SESUAI'));
  t.same(where(), { ektp: 'issued', old_ktp: 'kept', letter: 'kept', queue_ticket: 'kept', receipt: 'kept' }, 'steps 12-13');
  t.same(ledger.reconcile().problems, []);
});

t.test('steps 11 and 14: gagal returns old KTP and letter, keeps e-KTP and queue number', async (t) => {
  const { drive, where, ledger } = counter();
  drive(press('PANGGIL'), ...atDesk, press('SESUAI'), noMatch, noMatch);
  t.same(where(), { ektp: 'with_support', old_ktp: 'held', letter: 'with_support', queue_ticket: 'with_support', receipt: null }, 'step 11');
  drive(press('SESUAI'));
  t.same(where(), { ektp: 'retained', old_ktp: 'returned', letter: 'returned', queue_ticket: 'kept', receipt: null }, 'step 14');
  t.same(ledger.reconcile().problems, []);
});

t.test('damaged card (long SANGGAH) and misprint are retained for destruction as rusak', async (t) => {
  for (const [what, inputs, reason] of [
    ['physically damaged', [longPress('SANGGAH')], 'card_damaged'],
    ['print differs from chip', [press('SANGGAH'), press('SANGGAH')], 'print_mismatch'],
  ] as const) {
    const { drive, where, ledger } = counter();
    drive(press('PANGGIL'), ...atDesk, ...inputs);
    t.equal(ledger.transactionOutcomes()[0]?.reason, reason, what);
    drive(press('SESUAI'));
    t.same(where(), { ektp: 'retained', old_ktp: 'returned', letter: 'returned', queue_ticket: 'kept', receipt: null }, what);
  }
});

t.test('unverified (no usable template): the e-KTP back in stock, never retained; documents as configured', async (t) => {
  const noTemplate = [press('PANGGIL'), { type: 'card_present' }, { type: 'card_read', check: 'ok', fingers: [] }, press('SESUAI')] as TxInput[];
  for (const [docs, old_ktp, letter] of [
    ['return', 'returned', 'returned'],
    ['hold', 'held', 'held'],
  ] as const) {
    const { drive, where, ledger } = counter(docs);
    const s = drive(...noTemplate);
    t.equal(s.name, 'UNVERIFIED', docs);
    t.same(ledger.transactionOutcomes()[0], { id: 'tx-1', outcome: 'tertunda', reason: 'no_usable_template' }, docs);
    drive(press('SESUAI'));
    t.same(where(), { ektp: 'on_hand', old_ktp, letter, queue_ticket: 'kept', receipt: null }, docs);
    t.same(ledger.reconcile().problems, [], docs);
  }
});

t.test('no-show and cancel put the e-KTP back in stock', async (t) => {
  const noShow = counter();
  noShow.drive(press('PANGGIL'), { type: 'card_wait_timeout' });
  t.same(noShow.where(), { ektp: 'on_hand', old_ktp: 'held', letter: 'held', queue_ticket: 'with_resident', receipt: null });
  const cancelled = counter();
  cancelled.drive(press('PANGGIL'), ...atDesk, press('BATAL'));
  t.same(cancelled.where(), { ektp: 'on_hand', old_ktp: 'returned', letter: 'returned', queue_ticket: 'kept', receipt: null });
  t.same(cancelled.ledger.reconcile().problems, []);
});

t.test('an item found where the SOP does not expect it refuses the whole step', async (t) => {
  const { drive, where, ledger } = counter();
  drive(press('PANGGIL'), ...atDesk, press('SESUAI'), match);
  // Someone already recorded the letter as returned by hand: the handover must not paper over it.
  ledger.atomically(() => ledger.move('letter', ledger.residentById(1).letterNo, 'returned', null, 'manual'));
  t.throws(() => drive(press('SESUAI')), { code: 'LEDGER_INCONSISTENT' });
  t.equal(where().ektp, 'with_support', 'nothing of the step was written');
});
