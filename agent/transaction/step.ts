import type { FingerPosition } from '../../drivers/card/types.ts';
import type { ReasonCode } from '../events.ts';
import type { CustodyMove, Effect, FingerProgress, StepContext, StepResult, TxInfo, TxInput, TxState } from './states.ts';

/**
 * The pickup procedure, one function per state, read top to bottom:
 *
 *   IDLE ──PANGGIL──▶ CALLED ──card on reader──▶ READING_CARD ──read──▶ DATA_CHECK
 *   DATA_CHECK ──SESUAI──▶ VERIFY_FINGER            DATA_CHECK ──SANGGAH──▶ DISPUTE_REVIEW
 *   DISPUTE_REVIEW: print ≠ chip (SANGGAH) ──▶ RETURN_DOCS (gagal, card rusak)
 *                   print = chip (SESUAI) ──▶ chip vs dokumen pengesahan:
 *                       equal ──▶ VERIFY_FINGER (+referral)   different ──▶ RETURN_DOCS (gagal)
 *   VERIFY_FINGER ──match──▶ HANDOVER (berhasil)     ──attempts used──▶ RETURN_DOCS (gagal)
 *   READING_CARD / DATA_CHECK / VERIFY_FINGER ──device or chip-data fault──▶ UNVERIFIED (tertunda)
 *   HANDOVER / RETURN_DOCS / UNVERIFIED ──SESUAI (items changed hands)──▶ IDLE
 *   Only a non-matching finger or data that differ is gagal; a fault is never a verdict.
 *   BATAL before the verdict cancels with a reason; after the verdict it is refused.
 *   Long SANGGAH while the card is on the desk marks it physically damaged: gagal, card rusak.
 *
 * Custody follows the SOP's hands (agent/ledger/types.ts): the call passes the e-KTP and the
 * letter to the operator (step 3), answering it hands over the queue number (step 5), the
 * verdict passes all three to the support officer (step 11), and the confirmed handover or
 * return settles where each item stays (steps 12-14).
 *
 * Pure: no I/O, no clock except ctx.now(); the runner persists the result and runs the effects.
 */
export function step(state: TxState, input: TxInput, ctx: StepContext): StepResult {
  switch (state.name) {
    case 'IDLE':
      return idle(state, input, ctx);
    case 'CALLED':
      return called(state, input);
    case 'READING_CARD':
      return readingCard(state, input, ctx);
    case 'DATA_CHECK':
      return dataCheck(state, input, ctx);
    case 'DISPUTE_REVIEW':
      return disputeReview(state, input, ctx);
    case 'VERIFY_FINGER':
      return verifyFinger(state, input, ctx);
    case 'HANDOVER':
      return handover(state, input);
    case 'RETURN_DOCS':
      return returnDocs(state, input);
    case 'UNVERIFIED':
      return unverifiedDocs(state, input, ctx);
  }
}

const stay = (state: TxState, ...effects: Effect[]): StepResult => ({ next: state, effects });
const IDLE: TxState = { name: 'IDLE' };

function pressed(input: TxInput, button: string): boolean {
  return input.type === 'button' && input.input.kind === 'press' && input.input.button === button;
}

/** Buttons that mean nothing in this state get a coded notice, never a silent drop. */
function ignored(state: TxState, input: TxInput): StepResult {
  return input.type === 'button' ? stay(state, { kind: 'notice', code: 'WRONG_STATE' }) : stay(state);
}

// ---- IDLE: waiting for the operator to call the next number ---------------------------------

/** Step 3: the support officer passes the e-KTP and the letter to the operator; the old KTP stays. */
const CALL_MOVES: readonly CustodyMove[] = [
  { kind: 'ektp', from: ['on_hand'], to: 'with_operator', reason: 'called' },
  { kind: 'letter', from: ['held'], to: 'with_operator', reason: 'called' },
];

/** Nobody came, or the call ended before the verdict: both go back to the support officer. */
const UNCALL_MOVES = (reason: ReasonCode): CustodyMove[] => [
  { kind: 'ektp', from: ['with_operator'], to: 'on_hand', reason },
  { kind: 'letter', from: ['with_operator'], to: 'held', reason },
];

function idle(state: TxState, input: TxInput, ctx: StepContext): StepResult {
  if (input.type === 'claim_failed') return stay(state, { kind: 'notice', code: input.code });
  if (input.type !== 'claimed' && !pressed(input, 'PANGGIL')) return ignored(state, input);
  // The ledger stopped verifying: nobody new is called onto it (the one being served finished).
  if (input.type !== 'claimed' && ctx.refusal) return stay(state, { kind: 'notice', code: ctx.refusal });
  // In a multi-counter office the intake desk hands out the next ticket; it comes back as `claimed`.
  if (input.type !== 'claimed' && ctx.queue === 'office') return stay(state, { kind: 'claim' });
  const ticket = input.type === 'claimed' ? input.ticket : ctx.nextTicket();
  if (!ticket) return stay(state, { kind: 'notice', code: 'QUEUE_EMPTY' });
  const tx: TxInfo = { id: ctx.newTxId(), ticketId: ticket.id, residentId: ticket.residentId, queueNumber: ticket.number, startedAt: ctx.now() };
  return {
    next: { name: 'CALLED', tx, calls: 1 },
    effects: [
      { kind: 'start_tx', tx, ticket },
      { kind: 'ticket', state: 'called', countCall: true },
      { kind: 'custody', moves: CALL_MOVES },
      { kind: 'now_serving' },
      { kind: 'await_card', fresh: false },
    ],
  };
}

// ---- CALLED: the resident comes with the queue number; the e-KTP goes on the reader ---------

function called(state: Extract<TxState, { name: 'CALLED' }>, input: TxInput): StepResult {
  if (input.type === 'card_present') {
    return {
      next: { name: 'READING_CARD', tx: state.tx, readAttempts: 1 },
      // Step 5: the resident answered the call and handed over the queue number.
      effects: [
        { kind: 'custody', moves: [{ kind: 'queue_ticket', from: ['with_resident'], to: 'with_operator', reason: 'call_answered' }] },
        { kind: 'read_card' },
      ],
    };
  }
  if (pressed(input, 'PANGGIL')) {
    return stay({ ...state, calls: state.calls + 1 }, { kind: 'ticket', state: 'called', countCall: true }, { kind: 'now_serving' });
  }
  if (pressed(input, 'BATAL') || input.type === 'card_wait_timeout') {
    // Nobody came: the e-KTP and letter go back to the support officer, who still holds the old
    // KTP, for when the resident returns.
    return {
      next: IDLE,
      effects: [
        { kind: 'custody', moves: UNCALL_MOVES('no_show') },
        { kind: 'ticket', state: 'no_show' },
        { kind: 'event', event: { type: 'cancelled', result: 'batal', reason: 'no_show', attempts: 0, finger: null, code: null } },
        { kind: 'close', outcome: 'batal', reason: 'no_show' },
      ],
    };
  }
  return ignored(state, input);
}

// ---- READING_CARD: SAM-authenticated chip read, checked against the roster ------------------

function readingCard(state: Extract<TxState, { name: 'READING_CARD' }>, input: TxInput, ctx: StepContext): StepResult {
  if (pressed(input, 'BATAL')) return cancel('operator_abort');
  if (markedDamaged(input)) return verdictGagal(state.tx, 'card_damaged', 0, null, null);
  if (input.type === 'card_read') {
    switch (input.check) {
      case 'ok':
        return {
          next: { name: 'DATA_CHECK', tx: state.tx, fingers: input.fingers },
          effects: [{ kind: 'print', slip: 'data_check' }],
        };
      case 'wrong_card':
        // Another resident's card: the operator swaps it; nothing about this resident changes.
        return { next: { name: 'CALLED', tx: state.tx, calls: 1 }, effects: [{ kind: 'notice', code: 'CARD_MISMATCH' }, { kind: 'await_card', fresh: true }] };
      case 'not_on_roster':
        return { next: { name: 'CALLED', tx: state.tx, calls: 1 }, effects: [{ kind: 'notice', code: 'NOT_ON_ROSTER' }, { kind: 'await_card', fresh: true }] };
      case 'already_issued':
        // The ledger says this resident's card was issued: the card on the desk is not ours to move.
        return cancel('already_issued', 'ALREADY_ISSUED', false);
    }
  }
  if (input.type === 'card_failed') {
    if (input.retryable && state.readAttempts < ctx.config.readAttempts) {
      return stay({ ...state, readAttempts: state.readAttempts + 1 }, { kind: 'notice', code: input.code }, { kind: 'read_card' });
    }
    // A forged data signature is data that do not match: gagal. A chip or reader that cannot be
    // read is a fault: the resident has not failed anything.
    if (input.code === 'SIGNATURE_INVALID') return verdictGagal(state.tx, 'sig_invalid', 0, null, input.code);
    return unverified(state.tx, 'card_unreadable', 0, null, input.code);
  }
  return ignored(state, input);
}

// ---- DATA_CHECK: the resident compares the slip with the printed card ----------------------

function dataCheck(state: Extract<TxState, { name: 'DATA_CHECK' }>, input: TxInput, ctx: StepContext): StepResult {
  if (pressed(input, 'BATAL')) return cancel('operator_abort');
  if (markedDamaged(input)) return verdictGagal(state.tx, 'card_damaged', 0, null, null);
  if (pressed(input, 'SESUAI')) return startVerify(state.tx, state.fingers, false, ctx);
  if (pressed(input, 'SANGGAH')) return { next: { name: 'DISPUTE_REVIEW', tx: state.tx, fingers: state.fingers, comparing: false }, effects: [] };
  return ignored(state, input);
}

// ---- DISPUTE_REVIEW: what does the resident dispute? ----------------------------------------

/**
 * SOP step 6 has the resident check the card against the chip, step 9 the data against the
 * dokumen pengesahan. Which one is in doubt decides the outcome, so the operator says which:
 * - the printed card differs from the chip slip (SANGGAH): a misprint; the card is rusak and goes
 *   to destruction (step 15), gagal print_mismatch;
 * - they are the same (SESUAI) and the resident says the data itself is wrong: the chip is
 *   compared with the dokumen pengesahan: equal → still berhasil, referred to the regular
 *   correction service (step 10); different → gagal data_mismatch, the card is not handed over.
 */
function disputeReview(state: Extract<TxState, { name: 'DISPUTE_REVIEW' }>, input: TxInput, ctx: StepContext): StepResult {
  if (pressed(input, 'BATAL')) return cancel('operator_abort');
  if (markedDamaged(input)) return verdictGagal(state.tx, 'card_damaged', 0, null, null);
  if (!state.comparing) {
    if (pressed(input, 'SANGGAH')) return verdictGagal(state.tx, 'print_mismatch', 0, null, null);
    if (pressed(input, 'SESUAI')) return { next: { ...state, comparing: true }, effects: [{ kind: 'check_dispute' }] };
    return ignored(state, input);
  }
  if (input.type === 'dispute_checked') {
    if (input.equal) return startVerify(state.tx, state.fingers, true, ctx);
    return verdictGagal(state.tx, 'data_mismatch', 0, null, null);
  }
  return ignored(state, input);
}

// ---- VERIFY_FINGER: 1:1 against the chip template, bounded attempts -------------------------

function startVerify(tx: TxInfo, available: readonly FingerPosition[], referral: boolean, ctx: StepContext): StepResult {
  const fingers = ctx.config.fingerOrder.filter((f) => available.includes(f));
  if (fingers.length === 0) return unverified(tx, 'no_usable_template', 0, null, 'MALFORMED_DATA');
  const progress: FingerProgress = { fingers, finger: fingers[0], attempts: 0, attemptsOnFinger: 0, qualityRetries: 0, deviceFaults: 0 };
  return { next: { name: 'VERIFY_FINGER', tx, referral, progress }, effects: [{ kind: 'capture', finger: progress.finger }] };
}

/** Codes that say the chip template itself is unusable (not the sensor, not the capture). */
const UNUSABLE_TEMPLATE = new Set(['INVALID_TEMPLATE', 'MALFORMED_DATA']);

function otherFinger(p: FingerProgress): FingerPosition | null {
  return p.fingers.find((f) => f !== p.finger) ?? null;
}

function verifyFinger(state: Extract<TxState, { name: 'VERIFY_FINGER' }>, input: TxInput, ctx: StepContext): StepResult {
  const p = state.progress;
  if (pressed(input, 'BATAL')) return cancel('operator_abort');
  if (markedDamaged(input)) return verdictGagal(state.tx, 'card_damaged', p.attempts, null, null);
  if (pressed(input, 'JARI_LAIN')) {
    const other = otherFinger(p);
    if (!other) return stay(state, { kind: 'notice', code: 'NO_OTHER_FINGER' }, { kind: 'capture', finger: p.finger });
    const progress = { ...p, finger: other, attemptsOnFinger: 0 };
    return { next: { ...state, progress }, effects: [{ kind: 'capture', finger: other }] };
  }
  if (input.type === 'capture_failed' && UNUSABLE_TEMPLATE.has(input.code)) {
    // The chip's template for this finger cannot be used: the other finger, or unverified.
    const fingers = p.fingers.filter((f) => f !== p.finger);
    if (fingers.length === 0) return unverified(state.tx, 'no_usable_template', p.attempts, p.finger, input.code);
    const progress = { ...p, fingers, finger: fingers[0], attemptsOnFinger: 0 };
    return { next: { ...state, progress }, effects: [{ kind: 'notice', code: input.code }, { kind: 'capture', finger: fingers[0] }] };
  }
  if (input.type === 'capture_failed') {
    // A sensor hiccup is not a verdict: light GANGGUAN and wait for the finger again. A sensor
    // that keeps failing ends the transaction unverified, never gagal.
    const deviceFaults = (p.deviceFaults ?? 0) + 1;
    if (deviceFaults >= ctx.config.maxDeviceFaults) return unverified(state.tx, 'device_fault', p.attempts, p.finger, input.code);
    return stay({ ...state, progress: { ...p, deviceFaults } }, { kind: 'notice', code: input.code }, { kind: 'capture', finger: p.finger });
  }
  if (input.type !== 'verified') return ignored(state, input);

  const outcome = input.outcome;
  if (outcome.decision === 'match') {
    return verdictBerhasil(state.tx, state.referral, p.attempts + 1, p.finger);
  }
  if (outcome.decision === 'retry') {
    const qualityRetries = p.qualityRetries + 1;
    // Refused captures (dirty sensor, worn fingers) say nothing about whose finger it is.
    if (qualityRetries >= ctx.config.maxQualityRetries) return unverified(state.tx, 'fp_quality', p.attempts, p.finger, null);
    return stay(
      { ...state, progress: { ...p, qualityRetries, deviceFaults: 0 } },
      { kind: 'notice', code: outcome.guidance },
      { kind: 'capture', finger: p.finger },
    );
  }
  const attempts = p.attempts + 1;
  if (attempts >= ctx.config.maxAttempts) return verdictGagal(state.tx, 'fp_no_match', attempts, p.finger, null);
  const attemptsOnFinger = p.attemptsOnFinger + 1;
  const other = otherFinger(p);
  const progress =
    attemptsOnFinger >= ctx.config.attemptsBeforeSwitch && other && p.finger === p.fingers[0]
      ? { ...p, attempts, finger: other, attemptsOnFinger: 0, deviceFaults: 0 }
      : { ...p, attempts, attemptsOnFinger, deviceFaults: 0 };
  return stay({ ...state, progress }, { kind: 'notice', code: 'FP_NO_MATCH' }, { kind: 'capture', finger: progress.finger });
}

// ---- Verdicts --------------------------------------------------------------------------------

/** Step 11: after the verdict the operator passes the e-KTP, the letter and the queue number to the support officer. */
const VERDICT_MOVES: readonly CustodyMove[] = [
  { kind: 'ektp', from: ['with_operator'], to: 'with_support', reason: 'verdict' },
  { kind: 'letter', from: ['with_operator'], to: 'with_support', reason: 'verdict' },
  { kind: 'queue_ticket', from: ['with_operator'], to: 'with_support', reason: 'verdict' },
];

function verdictBerhasil(tx: TxInfo, referral: boolean, attempts: number, finger: FingerPosition): StepResult {
  return {
    next: { name: 'HANDOVER', tx, referral, attempts, finger },
    effects: [
      { kind: 'verdict', outcome: 'berhasil', reason: referral ? 'data_disputed' : null },
      { kind: 'custody', moves: VERDICT_MOVES },
      { kind: 'print', slip: 'result' },
      { kind: 'print', slip: 'receipt_resident' },
      { kind: 'print', slip: 'receipt_staff' },
      { kind: 'event', event: { type: 'verification', result: 'berhasil', reason: referral ? 'data_disputed' : null, attempts, finger, code: null } },
    ],
  };
}

function verdictGagal(tx: TxInfo, reason: ReasonCode, attempts: number, finger: FingerPosition | null, code: string | null): StepResult {
  const type = reason === 'sig_invalid' ? 'card_unreadable' : 'verification';
  return {
    next: { name: 'RETURN_DOCS', tx, reason, attempts, finger },
    effects: [
      { kind: 'verdict', outcome: 'gagal', reason },
      { kind: 'custody', moves: VERDICT_MOVES },
      { kind: 'print', slip: 'result' },
      { kind: 'event', event: { type, result: 'gagal', reason, attempts, finger, code } },
    ],
  };
}

/** "Belum dapat diverifikasi": its own slip and event; no verdict is written behind the name. */
function unverified(tx: TxInfo, reason: ReasonCode, attempts: number, finger: FingerPosition | null, code: string | null): StepResult {
  return {
    next: { name: 'UNVERIFIED', tx, reason, attempts, finger },
    effects: [
      { kind: 'verdict', outcome: 'tertunda', reason },
      { kind: 'print', slip: 'result' },
      { kind: 'event', event: { type: 'unverified', result: 'tertunda', reason, attempts, finger, code } },
    ],
  };
}

// ---- HANDOVER / RETURN_DOCS: the items change hands, then the transaction closes ------------

/**
 * Steps 12-13: the support officer hands the e-KTP over against the tanda terima and keeps the
 * letter, the old KTP, the queue number and the staff copy of the receipt.
 */
const HANDOVER_MOVES: readonly CustodyMove[] = [
  { kind: 'ektp', from: ['with_support'], to: 'issued', reason: 'handover' },
  { kind: 'old_ktp', from: ['held'], to: 'kept', reason: 'handover' },
  { kind: 'letter', from: ['with_support'], to: 'kept', reason: 'handover' },
  { kind: 'queue_ticket', from: ['with_support'], to: 'kept', reason: 'handover' },
  { kind: 'receipt', from: [], to: 'kept', reason: 'handover' },
];

function handover(state: Extract<TxState, { name: 'HANDOVER' }>, input: TxInput): StepResult {
  if (!pressed(input, 'SESUAI')) return ignored(state, input);
  return {
    next: IDLE,
    effects: [
      { kind: 'custody', moves: HANDOVER_MOVES },
      { kind: 'ticket', state: 'served' },
      { kind: 'event', event: { type: 'handover', result: 'berhasil', reason: state.referral ? 'data_disputed' : null, attempts: state.attempts, finger: state.finger, code: null } },
      { kind: 'close', outcome: 'berhasil', reason: state.referral ? 'data_disputed' : null },
    ],
  };
}

/**
 * Step 14: the old KTP and the letter (with the GAGAL slip) go back to the resident; the support
 * officer keeps the e-KTP, which goes back for destruction (step 15), and the queue number.
 */
const RETURN_MOVES: readonly CustodyMove[] = [
  { kind: 'ektp', from: ['with_support'], to: 'retained', reason: 'return_for_destruction' },
  { kind: 'old_ktp', from: ['held'], to: 'returned', reason: 'verdict_gagal' },
  { kind: 'letter', from: ['with_support'], to: 'returned', reason: 'verdict_gagal' },
  { kind: 'queue_ticket', from: ['with_support'], to: 'kept', reason: 'verdict_gagal' },
];

function returnDocs(state: Extract<TxState, { name: 'RETURN_DOCS' }>, input: TxInput): StepResult {
  if (!pressed(input, 'SESUAI')) return ignored(state, input);
  return {
    next: IDLE,
    effects: [
      { kind: 'custody', moves: RETURN_MOVES },
      { kind: 'ticket', state: 'served' },
      { kind: 'event', event: { type: 'docs_returned', result: 'gagal', reason: state.reason, attempts: state.attempts, finger: state.finger, code: null } },
      { kind: 'close', outcome: 'gagal', reason: state.reason },
    ],
  };
}

/**
 * Unverified: no verdict, so the items never reach the support officer's verdict piles. The
 * operator gives the e-KTP back to the support officer's store for a later visit (on_hand, never
 * retained for a destruction batch); the old KTP and the letter go back to the resident or stay
 * held at the desk, as the office configures; the queue number stays with staff.
 */
function unverifiedDocs(state: Extract<TxState, { name: 'UNVERIFIED' }>, input: TxInput, ctx: StepContext): StepResult {
  if (!pressed(input, 'SESUAI')) return ignored(state, input);
  const docs: CustodyMove[] =
    ctx.config.unverifiedDocuments === 'return'
      ? [
          { kind: 'old_ktp', from: ['held'], to: 'returned', reason: 'unverified' },
          { kind: 'letter', from: ['with_operator'], to: 'returned', reason: 'unverified' },
        ]
      : [{ kind: 'letter', from: ['with_operator'], to: 'held', reason: 'unverified' }];
  return {
    next: IDLE,
    effects: [
      {
        kind: 'custody',
        moves: [
          { kind: 'ektp', from: ['with_operator'], to: 'on_hand', reason: 'unverified' },
          ...docs,
          { kind: 'queue_ticket', from: ['with_operator'], to: 'kept', reason: 'unverified' },
        ],
      },
      { kind: 'ticket', state: 'served' },
      { kind: 'event', event: { type: 'unverified_closed', result: 'tertunda', reason: state.reason, attempts: state.attempts, finger: state.finger, code: null } },
      { kind: 'close', outcome: 'tertunda', reason: state.reason },
    ],
  };
}

// ---- Cancel before the verdict ----------------------------------------------------------------

/**
 * The resident leaves with the old KTP and letter; the e-KTP goes back to the support officer's
 * stock for a later visit, and the queue number (handed over at step 5) stays with staff.
 */
function cancel(reason: ReasonCode, notice?: string, ektpBack = true): StepResult {
  const effects: Effect[] = [
    {
      kind: 'custody',
      moves: [
        ...(ektpBack ? [{ kind: 'ektp', from: ['with_operator'], to: 'on_hand', reason } as const] : []),
        { kind: 'old_ktp', from: ['held'], to: 'returned', reason },
        { kind: 'letter', from: ['with_operator'], to: 'returned', reason },
        { kind: 'queue_ticket', from: ['with_operator'], to: 'kept', reason },
      ],
    },
    { kind: 'ticket', state: 'cancelled' },
    { kind: 'event', event: { type: 'cancelled', result: 'batal', reason, attempts: 0, finger: null, code: null } },
    { kind: 'close', outcome: 'batal', reason },
  ];
  if (notice) effects.unshift({ kind: 'notice', code: notice });
  return { next: IDLE, effects };
}

/**
 * A long press of SANGGAH while the card is at the desk: the operator found it physically damaged
 * (cracked, bent, chip torn, print unreadable). A deliberate long press, so a slip of the finger
 * cannot send a good card to destruction.
 */
function markedDamaged(input: TxInput): boolean {
  return input.type === 'button' && input.input.kind === 'long' && input.input.button === 'SANGGAH';
}
