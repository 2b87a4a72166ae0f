import type { FingerPosition } from '../../drivers/card/types.ts';
import type { ReasonCode } from '../events.ts';
import type { CustodyMove, Effect, FingerProgress, StepContext, StepResult, TxInfo, TxInput, TxState } from './states.ts';

/**
 * The pickup procedure, one function per state, read top to bottom:
 *
 *   IDLE ──PANGGIL──▶ CALLED ──card on reader──▶ READING_CARD ──read──▶ DATA_CHECK
 *   DATA_CHECK ──SESUAI──▶ VERIFY_FINGER            DATA_CHECK ──SANGGAH──▶ DISPUTE_REVIEW
 *   DISPUTE_REVIEW ──equal──▶ VERIFY_FINGER (+referral)   ──different──▶ RETURN_DOCS (gagal)
 *   VERIFY_FINGER ──match──▶ HANDOVER (berhasil)     ──attempts used──▶ RETURN_DOCS (gagal)
 *   READING_CARD / DATA_CHECK / VERIFY_FINGER ──device or chip-data fault──▶ UNVERIFIED (tertunda)
 *   HANDOVER / RETURN_DOCS / UNVERIFIED ──SESUAI (items changed hands)──▶ IDLE
 *   Only a non-matching finger or data that differ is gagal; a fault is never a verdict.
 *   BATAL before the verdict cancels with a reason; after the verdict it is refused.
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

function idle(state: TxState, input: TxInput, ctx: StepContext): StepResult {
  if (!pressed(input, 'PANGGIL')) return ignored(state, input);
  const ticket = ctx.nextTicket();
  if (!ticket) return stay(state, { kind: 'notice', code: 'QUEUE_EMPTY' });
  const tx: TxInfo = { id: ctx.newTxId(), ticketId: ticket.id, residentId: ticket.residentId, queueNumber: ticket.number, startedAt: ctx.now() };
  return {
    next: { name: 'CALLED', tx, calls: 1 },
    effects: [
      { kind: 'start_tx', tx, ticket },
      { kind: 'ticket', state: 'called', countCall: true },
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
      effects: [{ kind: 'custody', moves: [{ kind: 'queue_ticket', to: 'kept', reason: 'queue_number_collected' }] }, { kind: 'read_card' }],
    };
  }
  if (pressed(input, 'PANGGIL')) {
    return stay({ ...state, calls: state.calls + 1 }, { kind: 'ticket', state: 'called', countCall: true }, { kind: 'now_serving' });
  }
  if (pressed(input, 'BATAL') || input.type === 'card_wait_timeout') {
    // Nobody came: the old KTP and letter stay held at the desk for when the resident returns.
    return {
      next: IDLE,
      effects: [
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
        return cancel('already_issued', 'ALREADY_ISSUED');
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
  if (pressed(input, 'SESUAI')) return startVerify(state.tx, state.fingers, false, ctx);
  if (pressed(input, 'SANGGAH')) {
    return { next: { name: 'DISPUTE_REVIEW', tx: state.tx, fingers: state.fingers }, effects: [{ kind: 'check_dispute' }] };
  }
  return ignored(state, input);
}

// ---- DISPUTE_REVIEW: chip data against the signed validation document ----------------------

function disputeReview(state: Extract<TxState, { name: 'DISPUTE_REVIEW' }>, input: TxInput, ctx: StepContext): StepResult {
  if (pressed(input, 'BATAL')) return cancel('operator_abort');
  if (input.type === 'dispute_checked') {
    // Equal: the card is right as enrolled; still berhasil, with a referral to the correction service.
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

function verdictBerhasil(tx: TxInfo, referral: boolean, attempts: number, finger: FingerPosition): StepResult {
  return {
    next: { name: 'HANDOVER', tx, referral, attempts, finger },
    effects: [
      { kind: 'verdict', outcome: 'berhasil', reason: referral ? 'data_disputed' : null },
      { kind: 'print', slip: 'result' },
      { kind: 'print', slip: 'receipt' },
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

const HANDOVER_MOVES: readonly CustodyMove[] = [
  { kind: 'ektp', to: 'issued', reason: 'handover' },
  { kind: 'old_ktp', to: 'kept', reason: 'handover' },
  { kind: 'letter', to: 'kept', reason: 'handover' },
  { kind: 'queue_ticket', to: 'kept', reason: 'handover' },
  { kind: 'receipt', to: 'kept', reason: 'handover' },
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

const RETURN_MOVES: readonly CustodyMove[] = [
  { kind: 'ektp', to: 'retained', reason: 'return_for_destruction' },
  { kind: 'old_ktp', to: 'returned', reason: 'verdict_gagal' },
  { kind: 'letter', to: 'returned', reason: 'verdict_gagal' },
  { kind: 'queue_ticket', to: 'kept', reason: 'verdict_gagal' },
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
 * Unverified: the e-KTP stays on hand in the office's store for a later visit (no custody move, so
 * never into a destruction batch); the old KTP and letter go back to the resident or stay held at
 * the desk, as the office configures.
 */
function unverifiedDocs(state: Extract<TxState, { name: 'UNVERIFIED' }>, input: TxInput, ctx: StepContext): StepResult {
  if (!pressed(input, 'SESUAI')) return ignored(state, input);
  const docs: CustodyMove[] =
    ctx.config.unverifiedDocuments === 'return'
      ? [
          { kind: 'old_ktp', to: 'returned', reason: 'unverified' },
          { kind: 'letter', to: 'returned', reason: 'unverified' },
        ]
      : [];
  return {
    next: IDLE,
    effects: [
      { kind: 'custody', moves: [...docs, { kind: 'queue_ticket', to: 'kept', reason: 'unverified' }] },
      { kind: 'ticket', state: 'served' },
      { kind: 'event', event: { type: 'unverified_closed', result: 'tertunda', reason: state.reason, attempts: state.attempts, finger: state.finger, code: null } },
      { kind: 'close', outcome: 'tertunda', reason: state.reason },
    ],
  };
}

// ---- Cancel before the verdict ----------------------------------------------------------------

/** The resident leaves with the old KTP and letter; the e-KTP stays on hand for a later visit. */
function cancel(reason: ReasonCode, notice?: string): StepResult {
  const effects: Effect[] = [
    {
      kind: 'custody',
      moves: [
        { kind: 'old_ktp', to: 'returned', reason },
        { kind: 'letter', to: 'returned', reason },
        { kind: 'queue_ticket', to: 'kept', reason },
      ],
    },
    { kind: 'ticket', state: 'cancelled' },
    { kind: 'event', event: { type: 'cancelled', result: 'batal', reason, attempts: 0, finger: null, code: null } },
    { kind: 'close', outcome: 'batal', reason },
  ];
  if (notice) effects.unshift({ kind: 'notice', code: notice });
  return { next: IDLE, effects };
}
