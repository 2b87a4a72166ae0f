import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CardData, CardReader, FingerPosition } from '../../drivers/card/types.ts';
import { wipeCardData } from '../../drivers/card/types.ts';
import { nextCardEvent } from '../../drivers/card/cardEvents.ts';
import { isCodedError } from '../../drivers/deviceError.ts';
import { isSqliteError, ledgerErrorFrom } from '../ledger/errors.ts';
import type { FingerprintSensor } from '../../drivers/fingerprint/types.ts';
import type { Logger } from '../../drivers/logger.ts';
import type { Panel, PanelInput } from '../../drivers/panel/types.ts';
import type { SlipDocument } from '../../drivers/printer/types.ts';
import type { Config } from '../config/types.ts';
import type { CounterEvent, CounterState, NowServing } from '../events.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Verifier } from '../matching/types.ts';
import { operatorMessage } from '../operatorMessages.ts';
import { checkCard, compareWithValidation } from './cardCheck.ts';
import { InputQueue } from './inputQueue.ts';
import { ledsFor } from './leds.ts';
import { commitLedgerEffect } from './ledgerEffects.ts';
import type { SlipBuilder } from './slipBuilder.ts';
import type { Effect, SlipKind, StepContext, TxInfo, TxInput, TxState, TxStateName } from './states.ts';
import { step } from './step.ts';

/** Print jobs are enqueued inside the state's SQLite transaction and printed after it commits. */
export interface PrintJobs {
  enqueue(doc: SlipDocument, meta: { txId: string | null }): number;
  pump(): Promise<void>;
}

/** Events are written to the outbox inside the state's SQLite transaction. */
export interface EventJournal {
  enqueue(event: CounterEvent): unknown;
}

/** Live signals for monitoring; best effort, never inside the SQLite transaction. */
export interface StatusSink {
  nowServing(n: NowServing): void;
  stateChanged(s: CounterState): void;
  eventsQueued(): void;
}

export interface RunnerDeps {
  readonly config: Config;
  readonly ledger: Ledger;
  readonly card: CardReader;
  readonly sensor: FingerprintSensor;
  readonly panel: Panel;
  readonly verifier: Verifier;
  readonly prints: PrintJobs;
  readonly journal: EventJournal;
  readonly status: StatusSink;
  readonly slips: SlipBuilder;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly newTxId: () => string;
  /** A counter of a multi-counter office: PANGGIL claims from the intake desk (agent/office/). */
  readonly office?: OfficeQueue;
  /** True while a device is at fault (agent/faults.ts): GANGGUAN keeps blinking over the state's LEDs. */
  readonly faultActive?: () => boolean;
  /** True before the wall clock is NTP-synced: GANGGUAN blinks slowly (a warning, not a fault). */
  readonly clockUnsynced?: () => boolean;
  /** A code while no new resident may be called (the ledger stopped verifying), else null. */
  readonly refusal?: () => string | null;
}

/** The office queue as the runner sees it (agent/office/queueClient.ts). */
export interface OfficeQueue {
  /** Never rejects: a claimed ticket already recorded here, or a coded reason. */
  claim(): Promise<TxInput>;
  /** Inside the SQLite transaction that closes `tx`: tell the desk, hand items back. */
  closed(tx: TxInfo, outcome: 'berhasil' | 'gagal' | 'tertunda' | 'batal', reason: string | null): void;
  /** After that commit: send it now. */
  flush(): void;
}

interface QueuedInput {
  readonly input: TxInput;
  /** Results of a wait carry the wait's id; a result of a superseded wait is dropped. */
  readonly waitId?: number;
}

const IDLE: TxState = { name: 'IDLE' };
const VERDICT_STATES = new Set(['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED']);
const WAIT_EFFECTS = new Set<Effect['kind']>(['await_card', 'read_card', 'check_dispute', 'capture']);
const FAULT_BACKOFF_MS = 1000;
const READ_RETRY_BACKOFF_MS = 400;

export interface RunnerEvents {
  state: [TxState];
  notice: [string];
  /** One handled input: the software time of the step (state machine, SQLite commit, effects). */
  step: [{ readonly input: TxInput['type']; readonly from: TxStateName; readonly to: TxStateName; readonly ms: number }];
}

/**
 * Runs the transaction state machine: feeds it inputs one at a time, commits each step's state,
 * custody moves, print jobs and events in one SQLite transaction, then runs the step's waits.
 * It is the single error boundary: device errors come back as coded inputs, and every code is
 * shown through operatorMessages (LED pattern, text, one log line).
 *
 * Card data (with photo, signature and templates) lives only in `this.card` for the
 * transaction, and is wiped when the transaction ends or the card is read again.
 */
export class TransactionRunner extends EventEmitter<RunnerEvents> {
  private state: TxState = IDLE;
  private readonly inputs = new InputQueue<QueuedInput>();
  private waitId = 0;
  private waitAbort = new AbortController();
  private chip: CardData | null = null;
  private lastCaptureFailed = false;
  private claiming = false;
  private loop: Promise<void> | null = null;
  private readonly log: Logger;
  private readonly onPanel = (input: PanelInput) => this.onPanelInput(input);

  constructor(private readonly deps: RunnerDeps) {
    super();
    this.log = deps.logger.child({ module: 'transaction' });
  }

  current(): TxState {
    return this.state;
  }

  /** Closes or resumes what a power cut left open, then starts taking inputs. */
  start(): void {
    this.recover();
    this.deps.panel.on('input', this.onPanel);
    this.showLeds([]);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.deps.panel.off('input', this.onPanel);
    this.abortWaits();
    this.inputs.close();
    await this.loop;
    this.forgetCard();
  }

  /** Test and demo hook: the same path as a hardware input. */
  push(input: TxInput): void {
    this.inputs.push({ input });
  }

  private onPanelInput(input: PanelInput): void {
    // Commands outside the procedure are handled by the counter, not the state machine. Of the
    // long presses only SANGGAH means something here (the card is damaged).
    if (input.kind === 'command') return;
    if (input.kind === 'long' && input.button !== 'SANGGAH') return;
    this.inputs.push({ input: { type: 'button', input } });
  }

  private async run(): Promise<void> {
    for (;;) {
      const item = await this.inputs.next();
      if (item === null) return;
      if (item.waitId !== undefined && item.waitId !== this.waitId) continue;
      try {
        this.handle(item.input);
      } catch (err) {
        // A bug or a ledger failure: the state in SQLite is still the last committed one.
        this.log.error({ err, state: this.state.name }, 'transaction step failed');
        // A full disk or a read-only mount says so (DISK_FULL, DATA_DIR_READ_ONLY), not "inconsistent".
        const coded = isSqliteError(err) ? ledgerErrorFrom(err, 'ledger') : err;
        this.notice(isCodedError(coded) ? coded.code : 'LEDGER_INCONSISTENT');
      }
    }
  }

  private context(): StepContext {
    const v = this.deps.config.verification;
    return {
      config: {
        fingerOrder: v.fingerOrder,
        maxAttempts: v.maxAttempts,
        attemptsBeforeSwitch: v.attemptsBeforeSwitch,
        maxQualityRetries: v.maxQualityRetries,
        readAttempts: this.deps.config.card.readAttempts,
        maxDeviceFaults: v.maxDeviceFaults,
        unverifiedDocuments: v.unverifiedDocuments,
      },
      queue: this.deps.office ? 'office' : undefined,
      refusal: this.deps.refusal?.() ?? null,
      nextTicket: () => this.deps.ledger.nextWaiting(),
      newTxId: this.deps.newTxId,
      now: () => this.deps.now().toISOString(),
    };
  }

  private handle(input: TxInput): void {
    const started = performance.now();
    const before = this.state;
    const { next, effects } = step(before, input, this.context());
    if (next === before && effects.length === 0) return;
    const tx = 'tx' in next ? next.tx : 'tx' in before ? before.tx : null;

    this.deps.ledger.atomically(() => {
      for (const e of effects) this.commitEffect(e, tx, next);
      const close = effects.find((e): e is Extract<Effect, { kind: 'close' }> => e.kind === 'close');
      if (close && tx) this.deps.office?.closed(tx, close.outcome, close.reason);
      if (tx && next.name !== 'IDLE') {
        const facts =
          next.name === 'VERIFY_FINGER'
            ? { attempts: next.progress.attempts, finger: next.progress.finger, referral: next.referral }
            : next.name === 'HANDOVER' || next.name === 'RETURN_DOCS' || next.name === 'UNVERIFIED'
              ? { attempts: next.attempts, finger: next.finger, referral: next.name === 'HANDOVER' && next.referral }
              : {};
        this.deps.ledger.saveState(tx.id, next.name, JSON.stringify(next), facts);
      }
    });
    this.state = next;

    if (next.name !== before.name) {
      this.log.info({ txId: tx?.id ?? null, from: before.name, to: next.name, input: input.type }, 'transition');
      this.deps.status.stateChanged({ state: next.name, txId: next.name === 'IDLE' ? null : (tx?.id ?? null) });
    }
    if (next.name === 'IDLE') this.forgetCard();
    if (next.name !== before.name || effects.some((e) => WAIT_EFFECTS.has(e.kind))) this.abortWaits();

    const notices = effects.filter((e): e is Extract<Effect, { kind: 'notice' }> => e.kind === 'notice').map((e) => e.code);
    this.showLeds(notices);
    if (next !== before) this.emit('state', next);
    for (const code of notices) this.notice(code);
    for (const e of effects) this.runAfterCommit(e, tx);
    if (effects.some((e) => e.kind === 'print')) this.pumpPrints();
    if (effects.some((e) => e.kind === 'event')) this.deps.status.eventsQueued();
    if (effects.some((e) => e.kind === 'close')) this.deps.office?.flush();
    this.emit('step', { input: input.type, from: before.name, to: next.name, ms: performance.now() - started });
  }

  // ---- effects inside the SQLite transaction ---------------------------------------------------

  private commitEffect(e: Effect, tx: TxInfo | null, next: TxState): void {
    if (!tx || commitLedgerEffect(this.deps.ledger, e, tx, next)) return;
    if (e.kind === 'print') {
      this.deps.prints.enqueue(this.buildSlip(e.slip, tx, next), { txId: tx.id });
    } else if (e.kind === 'event') {
      this.deps.journal.enqueue({
        ...e.event,
        txId: tx.id,
        at: this.deps.now().toISOString(),
        durationMs: this.deps.now().getTime() - Date.parse(tx.startedAt),
      });
    }
  }

  private buildSlip(kind: SlipKind, tx: TxInfo, next: TxState): SlipDocument {
    const at = this.deps.now().toISOString();
    const resident = this.deps.ledger.residentById(tx.residentId);
    const facts = { queueNumber: tx.queueNumber, at, resident, txId: tx.id };
    switch (kind) {
      case 'data_check':
        if (!this.chip) throw new Error('data-check slip without chip data');
        return this.deps.slips.dataCheck(tx.queueNumber, at, this.chip.biodata, tx.id);
      case 'result': {
        if (next.name === 'RETURN_DOCS' || next.name === 'UNVERIFIED') {
          return this.deps.slips.result(facts, { outcome: next.name === 'RETURN_DOCS' ? 'gagal' : 'tertunda', reason: next.reason });
        }
        return this.deps.slips.result(facts, { outcome: 'berhasil', reason: next.name === 'HANDOVER' && next.referral ? 'data_disputed' : null });
      }
      case 'receipt_resident':
      case 'receipt_staff':
        return this.deps.slips.receipt(facts, next.name === 'HANDOVER' && next.referral, kind === 'receipt_resident' ? 'penerima' : 'petugas');
    }
  }

  // ---- effects after the commit ----------------------------------------------------------------

  private runAfterCommit(e: Effect, tx: TxInfo | null): void {
    switch (e.kind) {
      case 'now_serving':
        if (tx) this.deps.status.nowServing({ counter: this.deps.config.counter.label, queueNumber: tx.queueNumber, at: this.deps.now().toISOString() });
        return;
      case 'claim':
        this.claimFromOffice();
        return;
      case 'await_card':
        this.wait((signal) => this.awaitCard(e.fresh, signal));
        return;
      case 'read_card':
        if (tx) this.wait((signal) => this.readCard(tx, signal));
        return;
      case 'check_dispute':
        if (tx) this.wait(async () => this.checkDispute(tx));
        return;
      case 'capture':
        this.wait((signal) => this.captureAndVerify(e.finger, signal));
        return;
      default:
        return;
    }
  }

  /**
   * One claim at a time, and never aborted: a granted claim is already recorded, so its answer
   * must reach the state machine (a second PANGGIL meanwhile is just a repeat).
   */
  private claimFromOffice(): void {
    const office = this.deps.office;
    if (!office || this.claiming) return;
    this.claiming = true;
    void office.claim().then((input) => {
      this.claiming = false;
      this.inputs.push({ input });
    });
  }

  private abortWaits(): void {
    this.waitAbort.abort();
    this.waitAbort = new AbortController();
    this.waitId += 1;
  }

  /** Starts an abortable wait whose result re-enters the queue tagged with the current wait id. */
  private wait(work: (signal: AbortSignal) => Promise<TxInput | null>): void {
    const id = this.waitId;
    const signal = this.waitAbort.signal;
    work(signal).then(
      (input) => {
        if (input && !signal.aborted) this.inputs.push({ input, waitId: id });
      },
      (err: unknown) => {
        if (signal.aborted) return;
        this.log.error({ err }, 'wait failed unexpectedly');
      },
    );
  }

  private async awaitCard(fresh: boolean, signal: AbortSignal): Promise<TxInput | null> {
    const { card, config } = this.deps;
    if (fresh && card.health().cardPresent) {
      // The wrong card has to come off the reader before the right one can go on.
      await nextCardEvent(card, 'card-removed', signal).catch(() => undefined);
      if (signal.aborted) return null;
    }
    try {
      await card.waitForCard({ signal, timeoutMs: config.card.waitForCardMs });
      return { type: 'card_present' };
    } catch (err) {
      if (signal.aborted) return null;
      if (isCodedError(err) && err.code === 'TIMEOUT') return { type: 'card_wait_timeout' };
      // Reader gone while waiting: show the fault, try again after a pause.
      this.notice(isCodedError(err) ? err.code : 'READER_ABSENT');
      await sleep(FAULT_BACKOFF_MS, undefined, { signal }).catch(() => undefined);
      return signal.aborted ? null : this.awaitCard(fresh, signal);
    }
  }

  private async readCard(tx: TxInfo, signal: AbortSignal): Promise<TxInput | null> {
    this.forgetCard();
    // A chip that just failed (card still settling in the field, a transient reader error)
    // gets a moment before the retry instead of burning every attempt within milliseconds.
    if (this.state.name === 'READING_CARD' && this.state.readAttempts > 1) {
      await sleep(READ_RETRY_BACKOFF_MS * (this.state.readAttempts - 1), undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return null;
    }
    try {
      const data = await this.deps.card.readCard({ signal, timeoutMs: this.deps.config.card.readTimeoutMs });
      if (signal.aborted) {
        wipeCardData(data);
        return null;
      }
      if (!data.signatureValid) {
        wipeCardData(data);
        return { type: 'card_failed', code: 'SIGNATURE_INVALID', retryable: false };
      }
      const check = checkCard(this.deps.ledger, tx.residentId, data);
      if (check === 'ok') this.chip = data;
      else wipeCardData(data);
      return { type: 'card_read', check, fingers: data.fingers.map((f) => f.position) };
    } catch (err) {
      if (signal.aborted) return null;
      const code = isCodedError(err) ? err.code : 'MALFORMED_DATA';
      this.log.warn({ err, txId: tx.id }, 'card read failed');
      return { type: 'card_failed', code, retryable: isCodedError(err) ? err.retryable : false };
    }
  }

  private checkDispute(tx: TxInfo): TxInput {
    if (!this.chip) return { type: 'dispute_checked', equal: false };
    const resident = this.deps.ledger.residentById(tx.residentId);
    const differing = compareWithValidation(this.chip.biodata, resident.validationJson);
    this.log.info({ txId: tx.id, differingFields: differing }, 'dispute reviewed against validation document');
    return { type: 'dispute_checked', equal: differing.length === 0 };
  }

  private async captureAndVerify(finger: FingerPosition, signal: AbortSignal): Promise<TxInput | null> {
    const template = this.chip?.fingers.find((f) => f.position === finger)?.template;
    if (!template) return { type: 'capture_failed', code: 'MALFORMED_DATA', retryable: false };
    if (this.lastCaptureFailed) await sleep(FAULT_BACKOFF_MS, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return null;
    try {
      const image = await this.deps.sensor.capture({ signal, timeoutMs: this.deps.config.verification.captureTimeoutMs });
      // The verifier gets a copy of the template: the worker transfer detaches what it is given.
      const outcome = await this.deps.verifier.verify(image, template.slice(), { signal });
      image.pixels.fill(0);
      this.lastCaptureFailed = false;
      return signal.aborted ? null : { type: 'verified', outcome };
    } catch (err) {
      if (signal.aborted) return null;
      const code = isCodedError(err) ? err.code : 'PROTOCOL';
      // Nobody put a finger down in time: keep waiting without a fault light.
      if (code === 'TIMEOUT') return this.captureAndVerify(finger, signal);
      this.lastCaptureFailed = true;
      this.log.warn({ err }, 'capture failed');
      return { type: 'capture_failed', code, retryable: isCodedError(err) ? err.retryable : false };
    }
  }

  // ---- recovery after a power cut -------------------------------------------------------------

  /**
   * After the verdict the slips are already queued and the custody moves wait for the operator:
   * resume there. Before the verdict the chip data is gone with the RAM: close the transaction as
   * interrupted and put the ticket back at the head of the queue, documents still held.
   */
  private recover(): void {
    const { ledger } = this.deps;
    for (const open of ledger.openTransactions()) {
      const state = JSON.parse(open.stateJson) as TxState;
      if (VERDICT_STATES.has(state.name) && this.state.name === 'IDLE') {
        this.state = state;
        this.log.warn({ txId: open.id, state: state.name }, 'resumed interrupted transaction after restart');
        continue;
      }
      const startedAt = Date.parse(open.startedAt);
      ledger.atomically(() => {
        ledger.setTicketState(open.ticketId, 'waiting');
        // The operator hands the queue number back with the request to wait for the next call, and
        // the e-KTP and letter go back to the support officer (as before the call, SOP step 3).
        const ticket = ledger.ticket(open.ticketId);
        const resident = ledger.residentById(open.residentId);
        const ref = `${ticket.day}/${ticket.number}`;
        // An office ticket's queue number is in the intake desk's ledger; the desk puts it back.
        const local = ledger.ticketClaimId(open.ticketId) === null;
        if (local && ledger.itemState('queue_ticket', ref) !== 'with_resident') ledger.move('queue_ticket', ref, 'with_resident', open.id, 'interrupted');
        if (ledger.itemState('ektp', resident.cardUid) === 'with_operator') ledger.move('ektp', resident.cardUid, 'on_hand', open.id, 'interrupted');
        if (ledger.itemState('letter', resident.letterNo) === 'with_operator') ledger.move('letter', resident.letterNo, 'held', open.id, 'interrupted');
        this.deps.journal.enqueue({
          type: 'cancelled',
          txId: open.id,
          result: 'batal',
          reason: 'interrupted',
          attempts: 0,
          finger: null,
          code: null,
          at: this.deps.now().toISOString(),
          durationMs: this.deps.now().getTime() - startedAt,
        });
        ledger.closeTransaction(open.id, 'batal', 'interrupted');
        this.deps.office?.closed(
          { id: open.id, ticketId: open.ticketId, residentId: open.residentId, queueNumber: ticket.number, startedAt: open.startedAt },
          'batal',
          'interrupted',
        );
      });
      this.log.warn({ txId: open.id, state: state.name }, 'closed transaction interrupted before its verdict; ticket back in the queue');
    }
  }

  // ---- operator feedback -----------------------------------------------------------------------

  private notice(code: string): void {
    const m = operatorMessage(code);
    const txId = 'tx' in this.state ? this.state.tx.id : null;
    // Logs stay English; the operator's Bahasa text is what the LED/console shows for this code.
    this.log[m.level]({ code, txId, state: this.state.name, led: m.led, pattern: m.pattern }, 'operator notice');
    this.emit('notice', code);
  }

  private showLeds(notices: readonly string[]): void {
    const picture = ledsFor(this.state.name);
    if (this.deps.faultActive?.()) picture.GANGGUAN = 'fast';
    else if (this.deps.clockUnsynced?.()) picture.GANGGUAN = 'slow';
    for (const code of notices) {
      const m = operatorMessage(code);
      picture[m.led] = m.pattern;
    }
    for (const [led, pattern] of Object.entries(picture)) this.deps.panel.setLed(led as keyof typeof picture, pattern);
  }

  private pumpPrints(): void {
    this.deps.prints.pump().catch((err: unknown) => {
      this.notice(isCodedError(err) ? err.code : 'PRINTER_IO');
    });
  }

  private forgetCard(): void {
    if (this.chip) wipeCardData(this.chip);
    this.chip = null;
  }
}
