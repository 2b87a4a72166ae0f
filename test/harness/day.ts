import type { CardSlot } from '../../agent/sim/cardSlot.ts';
import type { SimFingerprintSensor } from '../../drivers/fingerprint/sim.ts';
import type { SimPanel } from '../../drivers/panel/sim.ts';
import type { ButtonName } from '../../drivers/panel/types.ts';
import { isCodedError } from '../../drivers/deviceError.ts';
import type { Counter } from '../../agent/counter.ts';
import type { VirtualWorld } from '../../agent/sim/world.ts';
import type { TxState, TxStateName } from '../../agent/transaction/states.ts';
import type { PlayedResident } from '../../agent/sim/scenarios.ts';
import { nextReaction, waitForState } from './runnerWaits.ts';

export type { PlayedResident };

export interface DayDevices {
  readonly card: CardSlot;
  readonly sensor: SimFingerprintSensor;
  readonly panel: SimPanel;
}


/** A letter the intake desk refused: the error code, and whether the ledger stayed as it was. */
export interface IntakeRefusal {
  readonly letterNo: string;
  readonly code: string;
  /** Waiting tickets and the letter's custody state were the same after the refusal as before. */
  readonly ledgerUnchanged: boolean;
}

const STEP_TIMEOUT_MS = 120_000;

/**
 * Plays a counter day on the simulated devices: only what people would physically do (hand in
 * a letter, put a card on the reader, a finger on the sensor, press a button). Every wait is
 * for the counter's own state or notice, with a timeout, so a hang fails the demo loudly.
 */
export class DayPlayer {
  constructor(
    private readonly counter: Counter,
    private readonly devices: DayDevices,
    private readonly world: VirtualWorld,
    private readonly log: (line: string) => void,
  ) {}

  private state(): TxState {
    return this.counter.runner.current();
  }

  private waitFor(names: readonly TxStateName[]): Promise<TxState> {
    return waitForState(this.counter.runner, names, STEP_TIMEOUT_MS);
  }

  private nextReaction(): Promise<string> {
    return nextReaction(this.counter.runner, STEP_TIMEOUT_MS);
  }

  /** Every state name and notice code the runner emits from now until one of `until`. */
  private async reactionsUntil(until: readonly string[], act: () => Promise<void>): Promise<string[]> {
    const { runner } = this.counter;
    const seen: string[] = [];
    let onState!: (s: { name: string }) => void;
    let onNotice!: (code: string) => void;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo: no decision in ${runner.current().name} (${seen.join(' → ')})`)), STEP_TIMEOUT_MS);
      const see = (what: string) => {
        seen.push(what);
        if (!until.includes(what)) return;
        clearTimeout(timer);
        resolve();
      };
      onState = (st) => see(st.name);
      onNotice = see;
    });
    runner.on('state', onState);
    runner.on('notice', onNotice);
    try {
      await act();
      await done;
      return seen;
    } finally {
      runner.off('state', onState);
      runner.off('notice', onNotice);
    }
  }

  private press(button: ButtonName): void {
    this.devices.panel.press(button);
  }

  intakeAll(played: readonly PlayedResident[]): void {
    for (const p of played) this.counter.intake(p.resident.letterNo);
  }

  /**
   * Hands in a letter the counter should refuse; returns the code it refused with and whether the
   * ledger is unchanged. What kind of refusal it was is for the caller to read from the code and
   * the ledger, not from why the script chose this letter.
   */
  refusedIntake(letterNo: string): IntakeRefusal {
    const { ledger } = this.counter;
    const before = { waiting: ledger.waitingCount(), letter: ledger.itemState('letter', letterNo) };
    try {
      this.counter.intake(letterNo);
    } catch (err) {
      if (!isCodedError(err)) throw err;
      const after = { waiting: ledger.waitingCount(), letter: ledger.itemState('letter', letterNo) };
      return { letterNo, code: err.code, ledgerUnchanged: after.waiting === before.waiting && after.letter === before.letter };
    }
    throw new Error(`demo: intake of letter ${letterNo} was accepted where a refusal was expected`);
  }

  async serve(p: PlayedResident, everyone: readonly PlayedResident[]): Promise<void> {
    this.log(`call ${p.resident.index + 1}: ${p.scenario}`);
    this.press('PANGGIL');
    await this.waitFor(['CALLED']);
    await this.serveCalled(p, everyone);
  }

  /**
   * PANGGIL and the number that comes up, or the notice that none did (QUEUE_EMPTY,
   * QUEUE_UNREACHABLE). In a multi-counter office the counter gets whichever ticket is next.
   */
  async call(): Promise<{ residentId: number } | { notice: string }> {
    const got = new Promise<{ residentId: number } | { notice: string }>((resolve) => {
      const onState = (s: TxState) => {
        if (s.name !== 'CALLED') return;
        done();
        resolve({ residentId: s.tx.residentId });
      };
      const onNotice = (code: string) => {
        done();
        resolve({ notice: code });
      };
      const done = () => {
        this.counter.runner.off('state', onState);
        this.counter.runner.off('notice', onNotice);
      };
      this.counter.runner.on('state', onState);
      this.counter.runner.on('notice', onNotice);
    });
    this.press('PANGGIL');
    return got;
  }

  /** The rest of a resident's visit once their number is called. */
  async serveCalled(p: PlayedResident, everyone: readonly PlayedResident[]): Promise<void> {
    const { card } = this.devices;

    if (p.scenario === 'no_show') {
      this.press('PANGGIL'); // second call
      this.press('BATAL');
      await this.waitFor(['IDLE']);
      return;
    }
    if (p.scenario === 'wrong_card_first') {
      const other = everyone.find((o) => o !== p)!;
      // Listen before inserting: through pcscd the read may start (READING_CARD) before
      // insertCard resolves. A retryable read failure (a TIMEOUT on a loaded machine) is a notice
      // and another read in READING_CARD, not a refusal: collect every reaction until the
      // counter decides (it emits the state, then its notices, in one go).
      const reactions = await this.reactionsUntil(['CARD_MISMATCH', 'DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED', 'IDLE'], () => card.insertCard(other.card));
      if (!reactions.includes('CARD_MISMATCH')) throw new Error(`demo: wrong card not refused (${reactions.join(' → ')})`);
      await this.waitFor(['CALLED']);
      await card.removeCard();
    }
    if (p.scenario === 'card_unreadable') card.damageNextCard();
    await card.insertCard(p.card);
    const afterRead = await this.waitFor(['DATA_CHECK', 'RETURN_DOCS', 'UNVERIFIED']);

    if (afterRead.name === 'DATA_CHECK') {
      if (p.scenario === 'cancelled') {
        this.press('BATAL');
        await this.waitFor(['IDLE']);
        await card.removeCard();
        return;
      }
      await this.checkData(p.scenario);
      const s = await this.waitFor(['VERIFY_FINGER', 'RETURN_DOCS', 'UNVERIFIED']);
      if (s.name === 'VERIFY_FINGER') await this.verify(p, everyone);
    }

    await this.waitFor(['HANDOVER', 'RETURN_DOCS', 'UNVERIFIED']);
    // The operator hands over the card against the signed receipt, or gives the documents back.
    this.press('SESUAI');
    await this.waitFor(['IDLE']);
    await card.removeCard();
  }

  /**
   * The data check as the operator answers it: agree; a dispute where the print matches the chip
   * (SANGGAH, then SESUAI: compared with the dokumen pengesahan); a misprint (SANGGAH twice); or a
   * physically damaged card (long SANGGAH).
   */
  private async checkData(scenario: PlayedResident['scenario']): Promise<void> {
    if (scenario === 'card_damaged') return void this.devices.panel.longPress('SANGGAH');
    if (scenario !== 'dispute_agrees' && scenario !== 'dispute_differs' && scenario !== 'print_mismatch') return this.press('SESUAI');
    this.press('SANGGAH');
    await this.waitFor(['DISPUTE_REVIEW']);
    this.press(scenario === 'print_mismatch' ? 'SANGGAH' : 'SESUAI');
  }

  /** Presents fingers until the verdict, as the scenario's resident would. */
  private async verify(p: PlayedResident, everyone: readonly PlayedResident[]): Promise<void> {
    const { sensor } = this.devices;
    const stranger = everyone[(everyone.indexOf(p) + 1) % everyone.length].resident;
    for (let attempt = 0; attempt < 40; attempt++) {
      const s = this.state();
      if (s.name !== 'VERIFY_FINGER') return;
      const finger = s.progress.finger;
      if (p.scenario === 'gagal_fingerprint') {
        sensor.present(this.world.impostorFor(p.resident, stranger, finger, attempt));
      } else if (p.scenario === 'berhasil_left_finger' && finger === 'right_index') {
        // A worn right index: the first capture fails, the operator switches to the left.
        if (s.progress.attempts === 0) sensor.present(this.world.impostorFor(p.resident, stranger, finger, attempt));
        else {
          this.press('JARI_LAIN');
          await this.nextReaction();
          continue;
        }
      } else if (p.scenario === 'berhasil_after_quality_retry' && s.progress.qualityRetries === 0) {
        sensor.present(this.world.badFrame('too_light', attempt, p.resident));
      } else {
        sensor.present(this.world.genuine(p.resident, finger, attempt));
      }
      await this.nextReaction();
    }
    throw new Error('demo: verification did not reach a verdict');
  }
}
