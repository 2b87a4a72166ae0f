import t from 'tap';
import { step } from '../../../agent/transaction/step.ts';
import type { Effect, StepContext, TxInfo, TxInput, TxState } from '../../../agent/transaction/states.ts';
import type { ButtonName } from '../../../drivers/panel/types.ts';
import type { Ticket } from '../../../agent/ledger/types.ts';

const ticket: Ticket = { id: 7, number: 'A-007', day: '2026-11-27', residentId: 3, state: 'waiting', calls: 0, issuedAt: '2026-11-27T01:00:00.000Z' };
const tx: TxInfo = { id: 'tx-1', ticketId: 7, residentId: 3, queueNumber: 'A-007', startedAt: '2026-11-27T01:05:00.000Z' };

function ctx(over: Partial<StepContext['config']> = {}, next: Ticket | null = ticket): StepContext {
  return {
    config: { fingerOrder: ['right_index', 'left_index'], maxAttempts: 4, attemptsBeforeSwitch: 2, maxQualityRetries: 3, readAttempts: 2, maxDeviceFaults: 3, unverifiedDocuments: 'return', ...over },
    nextTicket: () => next,
    newTxId: () => 'tx-1',
    now: () => '2026-11-27T01:05:00.000Z',
  };
}

const press = (button: ButtonName): TxInput => ({ type: 'button', input: { kind: 'press', button } });
const kinds = (effects: readonly Effect[]) => effects.map((e) => e.kind);
const find = <K extends Effect['kind']>(effects: readonly Effect[], kind: K) => effects.find((e) => e.kind === kind) as Extract<Effect, { kind: K }> | undefined;

const verify = (over: Partial<Extract<TxState, { name: 'VERIFY_FINGER' }>['progress']> = {}, referral = false): TxState => ({
  name: 'VERIFY_FINGER',
  tx,
  referral,
  progress: { fingers: ['right_index', 'left_index'], finger: 'right_index', attempts: 0, attemptsOnFinger: 0, qualityRetries: 0, ...over },
});
const match: TxInput = { type: 'verified', outcome: { decision: 'match', score: 80, quality: 70 } };
const noMatch: TxInput = { type: 'verified', outcome: { decision: 'no_match', score: 3, quality: 70 } };
const badQuality: TxInput = { type: 'verified', outcome: { decision: 'retry', guidance: 'PRESS_HARDER', quality: 10 } };

t.test('step', async (t) => {
  t.test('IDLE: PANGGIL calls the oldest waiting ticket and waits for the card', async (t) => {
    const r = step({ name: 'IDLE' }, press('PANGGIL'), ctx());
    t.equal(r.next.name, 'CALLED');
    t.same(kinds(r.effects), ['start_tx', 'ticket', 'custody', 'now_serving', 'await_card']);
    // SOP step 3: e-KTP and letter to the operator; the old KTP stays with the support officer.
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.from}>${m.to}`), ['ektp:on_hand>with_operator', 'letter:held>with_operator']);
  });
  t.test('IDLE: PANGGIL with nobody waiting stays idle with QUEUE_EMPTY', async (t) => {
    const r = step({ name: 'IDLE' }, press('PANGGIL'), ctx({}, null));
    t.equal(r.next.name, 'IDLE');
    t.same(r.effects, [{ kind: 'notice', code: 'QUEUE_EMPTY' }]);
  });
  t.test('IDLE: any other button is refused with WRONG_STATE', async (t) => {
    const r = step({ name: 'IDLE' }, press('SESUAI'), ctx());
    t.same(r.effects, [{ kind: 'notice', code: 'WRONG_STATE' }]);
  });
  t.test('CALLED: the resident answers the call, hands over the queue number, and the read starts', async (t) => {
    const r = step({ name: 'CALLED', tx, calls: 1 }, { type: 'card_present' }, ctx());
    t.equal(r.next.name, 'READING_CARD');
    // SOP step 5.
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.from}>${m.to}`), ['queue_ticket:with_resident>with_operator']);
    t.ok(find(r.effects, 'read_card'));
  });
  t.test('CALLED: PANGGIL again re-announces the number', async (t) => {
    const r = step({ name: 'CALLED', tx, calls: 1 }, press('PANGGIL'), ctx());
    t.same(r.next, { name: 'CALLED', tx, calls: 2 });
    t.same(kinds(r.effects), ['ticket', 'now_serving']);
  });
  t.test('CALLED: BATAL records a no-show; e-KTP and letter go back to the support officer', async (t) => {
    const r = step({ name: 'CALLED', tx, calls: 2 }, press('BATAL'), ctx());
    t.equal(r.next.name, 'IDLE');
    t.same(find(r.effects, 'close'), { kind: 'close', outcome: 'batal', reason: 'no_show' });
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.to}`), ['ektp:on_hand', 'letter:held'], 'the old KTP never left: nobody came to take it');
  });
  t.test('CALLED: waiting for the card times out as a no-show', async (t) => {
    const r = step({ name: 'CALLED', tx, calls: 1 }, { type: 'card_wait_timeout' }, ctx());
    t.equal(find(r.effects, 'close')?.reason, 'no_show');
  });
  t.test('READING_CARD: a good read prints the data-check slip', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_read', check: 'ok', fingers: ['right_index', 'left_index'] }, ctx());
    t.same(r.next, { name: 'DATA_CHECK', tx, fingers: ['right_index', 'left_index'] });
    t.same(r.effects, [{ kind: 'print', slip: 'data_check' }]);
  });
  t.test('READING_CARD: another resident’s card goes back to waiting for the right one', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_read', check: 'wrong_card', fingers: [] }, ctx());
    t.equal(r.next.name, 'CALLED');
    t.same(r.effects, [{ kind: 'notice', code: 'CARD_MISMATCH' }, { kind: 'await_card', fresh: true }]);
  });
  t.test('READING_CARD: a card not on the roster is refused the same way', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_read', check: 'not_on_roster', fingers: [] }, ctx());
    t.equal(find(r.effects, 'notice')?.code, 'NOT_ON_ROSTER');
  });
  t.test('READING_CARD: an already issued card cancels and returns the documents', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_read', check: 'already_issued', fingers: [] }, ctx());
    t.equal(r.next.name, 'IDLE');
    t.same(find(r.effects, 'close'), { kind: 'close', outcome: 'batal', reason: 'already_issued' });
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.to}`), ['old_ktp:returned', 'letter:returned', 'queue_ticket:kept'], 'an issued card is not moved back to stock');
  });
  t.test('READING_CARD: a retryable failure reads again until the attempts run out', async (t) => {
    const first = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_failed', code: 'CARD_REMOVED', retryable: true }, ctx());
    t.same(first.next, { name: 'READING_CARD', tx, readAttempts: 2 });
    t.ok(find(first.effects, 'read_card'));
    const last = step(first.next, { type: 'card_failed', code: 'CARD_REMOVED', retryable: true }, ctx());
    t.equal(last.next.name, 'UNVERIFIED', 'a reader that keeps failing is not a verdict');
    t.same(find(last.effects, 'verdict'), { kind: 'verdict', outcome: 'tertunda', reason: 'card_unreadable' });
    t.same(find(last.effects, 'event')?.event, { type: 'unverified', result: 'tertunda', reason: 'card_unreadable', attempts: 0, finger: null, code: 'CARD_REMOVED' });
  });
  t.test('READING_CARD: unreadable chip data (MALFORMED_DATA) is unverified, not gagal', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_failed', code: 'MALFORMED_DATA', retryable: false }, ctx());
    t.equal(r.next.name, 'UNVERIFIED');
    t.equal(find(r.effects, 'verdict')?.outcome, 'tertunda');
    t.ok(find(r.effects, 'print'), 'its own result slip prints');
  });
  t.test('READING_CARD: a forged signature is gagal sig_invalid at once', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, { type: 'card_failed', code: 'SIGNATURE_INVALID', retryable: false }, ctx());
    t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'gagal', reason: 'sig_invalid' });
  });
  t.test('READING_CARD: BATAL cancels', async (t) => {
    const r = step({ name: 'READING_CARD', tx, readAttempts: 1 }, press('BATAL'), ctx());
    t.same(find(r.effects, 'close'), { kind: 'close', outcome: 'batal', reason: 'operator_abort' });
  });
  t.test('DATA_CHECK: SESUAI starts verification on the first configured finger', async (t) => {
    const r = step({ name: 'DATA_CHECK', tx, fingers: ['left_index', 'right_index'] }, press('SESUAI'), ctx({ fingerOrder: ['left_index', 'right_index'] }));
    t.equal(r.next.name, 'VERIFY_FINGER');
    t.same(r.effects, [{ kind: 'capture', finger: 'left_index' }]);
  });
  t.test('DATA_CHECK: a card with no usable template is unverified no_usable_template', async (t) => {
    const r = step({ name: 'DATA_CHECK', tx, fingers: [] }, press('SESUAI'), ctx());
    t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'tertunda', reason: 'no_usable_template' });
  });
  t.test('DATA_CHECK: SANGGAH asks the operator what is disputed', async (t) => {
    const r = step({ name: 'DATA_CHECK', tx, fingers: ['right_index'] }, press('SANGGAH'), ctx());
    t.same(r.next, { name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: false });
    t.same(r.effects, []);
  });
  t.test('DISPUTE_REVIEW: print differs from the chip (SANGGAH) is gagal print_mismatch, the card rusak', async (t) => {
    const r = step({ name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: false }, press('SANGGAH'), ctx());
    t.equal(r.next.name, 'RETURN_DOCS');
    t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'gagal', reason: 'print_mismatch' });
  });
  t.test('DISPUTE_REVIEW: print equals the chip (SESUAI) compares the chip with the dokumen pengesahan', async (t) => {
    const r = step({ name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: false }, press('SESUAI'), ctx());
    t.same(r.next, { name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: true });
    t.same(r.effects, [{ kind: 'check_dispute' }]);
    t.same(step(r.next, press('SANGGAH'), ctx()).effects, [{ kind: 'notice', code: 'WRONG_STATE' }], 'no second choice while comparing');
  });
  t.test('DATA_CHECK: BATAL cancels', async (t) => {
    const r = step({ name: 'DATA_CHECK', tx, fingers: ['right_index'] }, press('BATAL'), ctx());
    t.equal(r.next.name, 'IDLE');
  });
  t.test('DISPUTE_REVIEW: data equal to the validation document continues with a referral', async (t) => {
    const r = step({ name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: true }, { type: 'dispute_checked', equal: true }, ctx());
    t.equal(r.next.name, 'VERIFY_FINGER');
    t.equal(r.next.name === 'VERIFY_FINGER' && r.next.referral, true);
  });
  t.test('DISPUTE_REVIEW: different data is gagal "data tidak sesuai"', async (t) => {
    const r = step({ name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: true }, { type: 'dispute_checked', equal: false }, ctx());
    t.equal(r.next.name, 'RETURN_DOCS');
    t.equal(find(r.effects, 'verdict')?.reason, 'data_mismatch');
  });
  t.test('DISPUTE_REVIEW: BATAL cancels', async (t) => {
    t.equal(step({ name: 'DISPUTE_REVIEW', tx, fingers: [], comparing: false }, press('BATAL'), ctx()).next.name, 'IDLE');
  });
  t.test('VERIFY_FINGER: a match is berhasil with result slip, two receipts and event', async (t) => {
    const r = step(verify(), match, ctx());
    t.same(r.next, { name: 'HANDOVER', tx, referral: false, attempts: 1, finger: 'right_index' });
    t.same(kinds(r.effects), ['verdict', 'custody', 'print', 'print', 'print', 'event']);
    t.same(r.effects.flatMap((e) => (e.kind === 'print' ? [e.slip] : [])), ['result', 'receipt_resident', 'receipt_staff']);
    // SOP step 11: the operator passes e-KTP, letter and queue number to the support officer.
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.from}>${m.to}`), [
      'ektp:with_operator>with_support',
      'letter:with_operator>with_support',
      'queue_ticket:with_operator>with_support',
    ]);
  });
  t.test('a gagal verdict makes the same step-11 move', async (t) => {
    const r = step(verify({ attempts: 3 }), noMatch, ctx());
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.to}`), ['ektp:with_support', 'letter:with_support', 'queue_ticket:with_support']);
  });
  t.test('a long SANGGAH marks the card damaged wherever it is at the desk', async (t) => {
    const long: TxInput = { type: 'button', input: { kind: 'long', button: 'SANGGAH' } };
    for (const s of [
      { name: 'READING_CARD', tx, readAttempts: 1 },
      { name: 'DATA_CHECK', tx, fingers: ['right_index'] },
      { name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing: false },
      verify({ attempts: 2 }),
    ] as TxState[]) {
      const r = step(s, long, ctx());
      t.equal(r.next.name, 'RETURN_DOCS', s.name);
      t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'gagal', reason: 'card_damaged' }, s.name);
    }
    const called: TxState = { name: 'CALLED', tx, calls: 1 };
    t.same(step(called, long, ctx()).effects, [{ kind: 'notice', code: 'WRONG_STATE' }], 'not before the resident is at the desk');
  });
  t.test('VERIFY_FINGER: a match after a dispute keeps the referral on the verdict', async (t) => {
    const r = step(verify({}, true), match, ctx());
    t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'berhasil', reason: 'data_disputed' });
  });
  t.test('VERIFY_FINGER: no match switches finger after the configured attempts', async (t) => {
    const once = step(verify(), noMatch, ctx());
    t.equal(once.next.name === 'VERIFY_FINGER' && once.next.progress.finger, 'right_index');
    const twice = step(once.next, noMatch, ctx());
    t.equal(twice.next.name === 'VERIFY_FINGER' && twice.next.progress.finger, 'left_index');
    t.same(find(twice.effects, 'capture'), { kind: 'capture', finger: 'left_index' });
  });
  t.test('VERIFY_FINGER: the last allowed no-match is gagal fp_no_match', async (t) => {
    const r = step(verify({ attempts: 3, finger: 'left_index' }), noMatch, ctx());
    t.equal(r.next.name, 'RETURN_DOCS');
    t.same(find(r.effects, 'event')?.event, { type: 'verification', result: 'gagal', reason: 'fp_no_match', attempts: 4, finger: 'left_index', code: null });
  });
  t.test('VERIFY_FINGER: a refused capture is a retry with guidance, not an attempt', async (t) => {
    const r = step(verify(), badQuality, ctx());
    t.equal(r.next.name === 'VERIFY_FINGER' && r.next.progress.attempts, 0);
    t.same(find(r.effects, 'notice'), { kind: 'notice', code: 'PRESS_HARDER' });
  });
  t.test('VERIFY_FINGER: too many refused captures is unverified fp_quality, not gagal', async (t) => {
    const r = step(verify({ qualityRetries: 2 }), badQuality, ctx());
    t.equal(r.next.name, 'UNVERIFIED');
    t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'tertunda', reason: 'fp_quality' });
  });
  t.test('VERIFY_FINGER: JARI_LAIN switches to the other finger', async (t) => {
    const r = step(verify({ attemptsOnFinger: 1 }), press('JARI_LAIN'), ctx());
    t.equal(r.next.name === 'VERIFY_FINGER' && r.next.progress.finger, 'left_index');
    t.equal(r.next.name === 'VERIFY_FINGER' && r.next.progress.attemptsOnFinger, 0);
  });
  t.test('VERIFY_FINGER: JARI_LAIN with only one template says so', async (t) => {
    const r = step(verify({ fingers: ['right_index'] }), press('JARI_LAIN'), ctx());
    t.equal(find(r.effects, 'notice')?.code, 'NO_OTHER_FINGER');
  });
  t.test('VERIFY_FINGER: a sensor failure shows the fault and captures again', async (t) => {
    const r = step(verify(), { type: 'capture_failed', code: 'DISCONNECTED', retryable: false }, ctx());
    t.same(kinds(r.effects), ['notice', 'capture']);
  });
  t.test('VERIFY_FINGER: a sensor that keeps failing ends unverified device_fault', async (t) => {
    let s: TxState = verify();
    const fail: TxInput = { type: 'capture_failed', code: 'DISCONNECTED', retryable: false };
    s = step(s, fail, ctx()).next;
    s = step(s, fail, ctx()).next;
    t.equal(s.name, 'VERIFY_FINGER');
    const r = step(s, fail, ctx());
    t.equal(r.next.name, 'UNVERIFIED');
    t.same(find(r.effects, 'verdict'), { kind: 'verdict', outcome: 'tertunda', reason: 'device_fault' });
  });
  t.test('UNVERIFIED: SESUAI keeps the e-KTP on hand and returns or holds the documents as configured', async (t) => {
    const state: TxState = { name: 'UNVERIFIED', tx, reason: 'device_fault', attempts: 1, finger: 'right_index' };
    const ret = step(state, press('SESUAI'), ctx());
    t.equal(ret.next.name, 'IDLE');
    // The e-KTP goes back from the operator to the office's store (on_hand), never to 'retained'.
    t.same(find(ret.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.to}`), ['ektp:on_hand', 'old_ktp:returned', 'letter:returned', 'queue_ticket:kept']);
    t.same(find(ret.effects, 'close'), { kind: 'close', outcome: 'tertunda', reason: 'device_fault' });
    const hold = step(state, press('SESUAI'), ctx({ unverifiedDocuments: 'hold' }));
    t.same(find(hold.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.to}`), ['ektp:on_hand', 'letter:held', 'queue_ticket:kept']);
    t.equal(step(state, press('BATAL'), ctx()).next.name, 'UNVERIFIED', 'BATAL after the outcome is refused');
  });
  t.test('VERIFY_FINGER: an unusable chip template moves to the other finger, then unverified', async (t) => {
    const first = step(verify(), { type: 'capture_failed', code: 'INVALID_TEMPLATE', retryable: false }, ctx());
    t.equal(first.next.name === 'VERIFY_FINGER' && first.next.progress.finger, 'left_index');
    t.same(first.next.name === 'VERIFY_FINGER' && first.next.progress.fingers, ['left_index']);
    const second = step(first.next, { type: 'capture_failed', code: 'INVALID_TEMPLATE', retryable: false }, ctx());
    t.equal(second.next.name, 'UNVERIFIED');
    t.equal(find(second.effects, 'verdict')?.reason, 'no_usable_template');
  });
  t.test('VERIFY_FINGER: BATAL cancels', async (t) => {
    t.equal(step(verify(), press('BATAL'), ctx()).next.name, 'IDLE');
  });
  t.test('HANDOVER: SESUAI moves custody and closes berhasil', async (t) => {
    const r = step({ name: 'HANDOVER', tx, referral: false, attempts: 1, finger: 'right_index' }, press('SESUAI'), ctx());
    t.equal(r.next.name, 'IDLE');
    // SOP steps 12-13.
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.from}>${m.to}`), [
      'ektp:with_support>issued',
      'old_ktp:held>kept',
      'letter:with_support>kept',
      'queue_ticket:with_support>kept',
      'receipt:>kept',
    ]);
    t.same(find(r.effects, 'close'), { kind: 'close', outcome: 'berhasil', reason: null });
  });
  t.test('HANDOVER: BATAL after the verdict is refused', async (t) => {
    const s: TxState = { name: 'HANDOVER', tx, referral: false, attempts: 1, finger: 'right_index' };
    const r = step(s, press('BATAL'), ctx());
    t.equal(r.next, s);
    t.same(r.effects, [{ kind: 'notice', code: 'WRONG_STATE' }]);
  });
  t.test('RETURN_DOCS: SESUAI returns documents, retains the card, closes gagal', async (t) => {
    const r = step({ name: 'RETURN_DOCS', tx, reason: 'fp_no_match', attempts: 4, finger: 'left_index' }, press('SESUAI'), ctx());
    // SOP step 14.
    t.same(find(r.effects, 'custody')?.moves.map((m) => `${m.kind}:${m.from}>${m.to}`), [
      'ektp:with_support>retained',
      'old_ktp:held>returned',
      'letter:with_support>returned',
      'queue_ticket:with_support>kept',
    ]);
    t.same(find(r.effects, 'close'), { kind: 'close', outcome: 'gagal', reason: 'fp_no_match' });
  });
  t.test('stale device results in the wrong state change nothing', async (t) => {
    const s: TxState = { name: 'DATA_CHECK', tx, fingers: ['right_index'] };
    const r = step(s, match, ctx());
    t.equal(r.next, s);
    t.same(r.effects, []);
  });
});
