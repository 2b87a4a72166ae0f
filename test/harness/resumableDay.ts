import type { CardData } from '../../drivers/card/types.ts';
import type { SimCardReader } from '../../drivers/card/sim.ts';
import type { SimFingerprintSensor } from '../../drivers/fingerprint/sim.ts';
import type { SimPanel } from '../../drivers/panel/sim.ts';
import type { ButtonName } from '../../drivers/panel/types.ts';
import type { Counter } from '../../agent/counter.ts';
import type { Reconciliation } from '../../agent/ledger/reconcile.ts';
import type { VirtualResident } from '../../agent/sim/residents.ts';
import { virtualRoster, type RosterSigner } from '../../agent/sim/roster.ts';
import type { VirtualWorld } from '../../agent/sim/world.ts';
import type { TxState, TxStateName } from '../../agent/transaction/states.ts';
import { scenarioFor, type Scenario } from '../../agent/sim/scenarios.ts';
import { nextReaction, nextState, waitForState } from './runnerWaits.ts';

export interface ResumableDevices {
  readonly card: SimCardReader;
  readonly sensor: SimFingerprintSensor;
  readonly panel: SimPanel;
}

/**
 * The residents' e-KTPs, made on first use. Cards are physical: they survive a power cut of the
 * agent, so a harness that restarts the agent hands the cards it already has to the next run
 * (`preset`) and hears about new ones through `onMade`, instead of enrolling them again.
 */
export class CardShelf {
  private readonly cards: Map<number, CardData>;

  constructor(
    private readonly world: VirtualWorld,
    private readonly residents: readonly VirtualResident[],
    preset: ReadonlyMap<number, CardData> = new Map(),
    private readonly onMade: (index: number, card: CardData) => void = () => {},
  ) {
    this.cards = new Map(preset);
  }

  has(index: number): boolean {
    return this.cards.has(index);
  }

  get(index: number): CardData {
    let card = this.cards.get(index);
    if (!card) {
      const resident = this.residents[index];
      // As in prepareVirtualDay: a card printed with a wrong address disagrees with the enrolment.
      const chipBiodata =
        scenarioFor(index) === 'dispute_differs' ? { ...resident.biodata, address: `${resident.biodata.address} BLOK X` } : undefined;
      card = this.world.makeCard(resident, { chipBiodata });
      this.cards.set(index, card);
      this.onMade(index, card);
    }
    return card;
  }
}

export interface ResumableDayOptions {
  readonly counter: Counter;
  readonly devices: ResumableDevices;
  readonly world: VirtualWorld;
  readonly residents: readonly VirtualResident[];
  readonly cards: CardShelf;
  /** Roster batch id; the roster is imported once per database. */
  readonly batchId: string;
  readonly siteId: string;
  /** Signs the virtual roster; default the development key. */
  readonly rosterSigner?: RosterSigner;
  readonly now: () => Date;
  readonly log?: (line: string) => void;
  /** Longest wait for the counter to react to one physical action. */
  readonly stepTimeoutMs?: number;
  /**
   * How long the operator takes, at a verdict, to hand over the card or give the documents back
   * before pressing SESUAI (ms; default none). At a real counter this is seconds; the power-loss
   * harness draws a short one so its kills can land inside HANDOVER and RETURN_DOCS.
   */
  readonly handoverMs?: () => number;
}

export interface ResumableDayResult {
  /** Transactions this run closed (resumed verdicts included). */
  readonly closedThisRun: number;
  readonly printQueueDepth: number;
  readonly outboxDepth: number;
  readonly reconciliation: Reconciliation;
}

const VERDICT_STATES: ReadonlySet<string> = new Set(['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED']);

/**
 * A counter day that can be cut off at any instant and started again on the same database. It
 * keeps no plan in memory: each next physical action is decided from the ledger. A transaction
 * resumed in a verdict state gets its SESUAI (the items change hands); letters not yet taken in
 * are taken in; the head of the queue is called and played with its resident's scenario; when
 * nothing waits, the day ends (with `finish`: daily report, print queue and outbox drained).
 */
export class ResumableDay {
  private readonly log: (line: string) => void;
  private readonly stepTimeoutMs: number;
  private closed = 0;

  constructor(private readonly o: ResumableDayOptions) {
    this.log = o.log ?? (() => {});
    this.stepTimeoutMs = o.stepTimeoutMs ?? 120_000;
  }

  /** Imports the signed virtual roster unless this database already has it. */
  ensureRoster(): void {
    const { counter } = this.o;
    if (counter.ledger.rosterImported(this.o.batchId)) return;
    counter.importRoster(virtualRoster(this.o.residents, this.o.siteId, this.o.batchId, this.o.now().toISOString(), this.o.rosterSigner));
  }

  /** Takes in every letter the ledger has not seen yet; a letter already in is never taken twice. */
  intakeMissing(): number {
    const { counter } = this.o;
    let n = 0;
    for (const r of this.o.residents) {
      if (counter.ledger.itemState('letter', r.letterNo) !== null) continue;
      counter.intake(r.letterNo);
      n += 1;
    }
    return n;
  }

  /** Serves until nothing waits. Resolves `null` unless `finish`, then the end-of-day figures. */
  async run(opts: { finish: boolean }): Promise<ResumableDayResult | null> {
    this.ensureRoster();
    const intaken = this.intakeMissing();
    if (intaken > 0) this.log(`intake: ${intaken} letter(s)`);
    for (;;) {
      if (this.resumeVerdict()) {
        await this.confirmVerdict();
        continue;
      }
      const next = this.o.counter.ledger.nextWaiting();
      if (!next) break;
      await this.serve(this.indexOf(next.residentId));
    }
    if (!opts.finish) return null;
    return this.finishDay();
  }

  /** True when the ledger holds a transaction past its verdict (the runner resumed it). */
  private resumeVerdict(): boolean {
    const open = this.o.counter.ledger.openTransactions();
    if (open.length === 0) return false;
    const verdict = open.find((t) => VERDICT_STATES.has(t.state));
    const current = this.state();
    if (!verdict || !VERDICT_STATES.has(current.name) || !('tx' in current) || current.tx.id !== verdict.id) {
      throw new Error(`resumable day: ledger has open ${open.map((t) => t.state).join(',')} but the counter is in ${current.name}`);
    }
    return true;
  }

  private async confirmVerdict(): Promise<void> {
    this.log(`${this.state().name}: SESUAI`);
    const pause = this.o.handoverMs?.() ?? 0;
    if (pause > 0) await sleep(pause);
    const idle = this.nextState(['IDLE']);
    this.press('SESUAI');
    await idle;
    this.closed += 1;
    this.o.devices.card.removeCard();
  }

  private indexOf(residentId: number): number {
    const letter = this.o.counter.ledger.residentById(residentId).letterNo;
    const index = this.o.residents.findIndex((r) => r.letterNo === letter);
    if (index < 0) throw new Error(`resumable day: resident ${residentId} is not one of this day's residents`);
    return index;
  }

  private async serve(index: number): Promise<void> {
    const { card } = this.o.devices;
    const scenario = scenarioFor(index);
    const own = this.o.cards.get(index);
    card.removeCard();
    this.log(`call resident ${index + 1}: ${scenario}`);
    const called = this.nextState(['CALLED']);
    this.press('PANGGIL');
    await called;

    if (scenario === 'no_show') {
      const idle = this.nextState(['IDLE']);
      this.press('PANGGIL');
      this.press('BATAL');
      await idle;
      this.closed += 1;
      return;
    }
    if (scenario === 'wrong_card_first') {
      const refused = this.nextState(['CALLED']);
      card.insertCard(this.o.cards.get(this.otherCard(index)));
      await refused;
      card.removeCard();
    }
    if (scenario === 'card_unreadable') card.failNextRead('MALFORMED_DATA');
    const read = this.nextState(['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED']);
    card.insertCard(own);
    const afterRead = await read;

    if (afterRead.name === 'DATA_CHECK') {
      if (scenario === 'cancelled') {
        const idle = this.nextState(['IDLE']);
        this.press('BATAL');
        await idle;
        this.closed += 1;
        card.removeCard();
        return;
      }
      const disputed = scenario === 'dispute_agrees' || scenario === 'dispute_differs' || scenario === 'print_mismatch';
      if (disputed) {
        // What is disputed (see DayPlayer.checkData): SESUAI = print matches the chip, SANGGAH = misprint.
        const reviewing = this.nextState(['DISPUTE_REVIEW']);
        this.press('SANGGAH');
        await reviewing;
      }
      const verifying = this.nextState(['VERIFY_FINGER', 'HANDOVER', 'RETURN_DOCS', 'UNVERIFIED']);
      if (scenario === 'card_damaged') this.o.devices.panel.longPress('SANGGAH');
      else this.press(scenario === 'print_mismatch' ? 'SANGGAH' : 'SESUAI');
      const s = await verifying;
      if (s.name === 'VERIFY_FINGER') await this.verify(index, scenario);
    }
    await this.waitFor(['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED']);
    await this.confirmVerdict();
  }

  /** Another resident's card for the wrong-card scenario: one already made if there is one. */
  private otherCard(index: number): number {
    const n = this.o.residents.length;
    for (let k = 1; k < n; k++) {
      const i = (index + n - k) % n;
      if (this.o.cards.has(i)) return i;
    }
    return (index + 1) % n;
  }

  /** Presents fingers until the verdict, as the scenario's resident would (see DayPlayer.verify). */
  private async verify(index: number, scenario: Scenario): Promise<void> {
    const { sensor } = this.o.devices;
    const { world, residents } = this.o;
    const resident = residents[index];
    const stranger = residents[(index + 1) % residents.length];
    for (let attempt = 0; attempt < 40; attempt++) {
      const s = this.state();
      if (s.name !== 'VERIFY_FINGER') return;
      const finger = s.progress.finger;
      const reaction = this.nextReaction();
      if (scenario === 'gagal_fingerprint') {
        sensor.present(world.impostorFor(resident, stranger, finger, attempt));
      } else if (scenario === 'berhasil_left_finger' && finger === 'right_index') {
        // A worn right index: the first capture fails, the operator switches to the left.
        if (s.progress.attempts === 0) sensor.present(world.impostorFor(resident, stranger, finger, attempt));
        else this.press('JARI_LAIN');
      } else if (scenario === 'berhasil_after_quality_retry' && s.progress.qualityRetries === 0) {
        sensor.present(world.badFrame('too_light', attempt, resident));
      } else {
        sensor.present(world.genuine(resident, finger, attempt));
      }
      await reaction;
    }
    throw new Error('resumable day: verification did not reach a verdict');
  }

  private async finishDay(): Promise<ResumableDayResult> {
    const { counter } = this.o;
    if (counter.prints.countOfKind('daily_report') === 0) counter.printDailyReport();
    const deadline = Date.now() + this.stepTimeoutMs;
    while (counter.prints.depth() > 0 && Date.now() < deadline) {
      await counter.prints.pump();
      if (counter.prints.depth() > 0) await sleep(100);
    }
    while (counter.status.outbox.depth() > 0 && Date.now() < deadline) {
      await counter.status.drain();
      if (counter.status.outbox.depth() > 0) await sleep(100);
    }
    return {
      closedThisRun: this.closed,
      printQueueDepth: counter.prints.depth(),
      outboxDepth: counter.status.outbox.depth(),
      reconciliation: counter.reconcile(),
    };
  }

  // ---- the physical side and the waits ---------------------------------------------------------

  private state(): TxState {
    return this.o.counter.runner.current();
  }

  private press(button: ButtonName): void {
    this.o.devices.panel.press(button);
  }

  private nextState(names: readonly TxStateName[]): Promise<TxState> {
    return nextState(this.o.counter.runner, names, this.stepTimeoutMs, 'resumable day');
  }

  private waitFor(names: readonly TxStateName[]): Promise<TxState> {
    return waitForState(this.o.counter.runner, names, this.stepTimeoutMs, 'resumable day');
  }

  private nextReaction(): Promise<string> {
    return nextReaction(this.o.counter.runner, this.stepTimeoutMs, 'resumable day');
  }

}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
