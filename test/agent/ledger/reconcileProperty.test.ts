import Database from 'better-sqlite3';
import fc from 'fast-check';
import t from 'tap';
import { CounterError } from '../../../agent/errors.ts';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { configureDatabase } from '../../../agent/ledger/migrate.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import { DEV_KEY_ID } from '../../../agent/roster/devKey.ts';
import { loadTrustedKeys, verifyRoster } from '../../../agent/roster/signedRoster.ts';
import { makeResidents, type VirtualResident } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import type { StepContext, TxInput, TxState } from '../../../agent/transaction/states.ts';
import { commitLedgerEffect } from '../../../agent/transaction/ledgerEffects.ts';
import { step } from '../../../agent/transaction/step.ts';
import type { ButtonName } from '../../../drivers/panel/types.ts';

/**
 * Random counter days through the real pure state machine and a real SQLite ledger: intake,
 * calls, card reads, data checks, disputes, fingerprint outcomes, cancels and no-shows, in any
 * order the state machine accepts. Each step's committed effects are applied to the ledger in
 * one SQLite transaction the way TransactionRunner.commitEffect does (slips and MQTT events are
 * not the ledger's business and are left out). After every day the ledger must reconcile, and its
 * card counts must equal the verdicts this test saw with its own eyes.
 */

const RESIDENTS = 8;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.parse('2026-11-27T01:00:00.000Z');

const press = (button: ButtonName): TxInput => ({ type: 'button', input: { kind: 'press', button } });
const BOTH = ['right_index', 'left_index'] as const;

/** Inputs that can reach the state machine in each state (the runner produces these). */
const INPUTS: Record<TxState['name'], readonly TxInput[]> = {
  IDLE: [press('PANGGIL')],
  CALLED: [{ type: 'card_present' }, { type: 'card_present' }, { type: 'card_present' }, { type: 'card_present' }, press('PANGGIL'), press('BATAL'), { type: 'card_wait_timeout' }, press('SESUAI')],
  READING_CARD: [
    { type: 'card_read', check: 'ok', fingers: BOTH },
    { type: 'card_read', check: 'ok', fingers: BOTH },
    { type: 'card_read', check: 'ok', fingers: ['left_index'] },
    { type: 'card_read', check: 'wrong_card', fingers: BOTH },
    { type: 'card_read', check: 'not_on_roster', fingers: BOTH },
    { type: 'card_failed', code: 'CARD_REMOVED', retryable: true },
    { type: 'card_failed', code: 'MALFORMED_DATA', retryable: false },
    { type: 'card_failed', code: 'SIGNATURE_INVALID', retryable: false },
    press('BATAL'),
  ],
  DATA_CHECK: [press('SESUAI'), press('SESUAI'), press('SANGGAH'), press('BATAL'), press('PANGGIL')],
  DISPUTE_REVIEW: [{ type: 'dispute_checked', equal: true }, { type: 'dispute_checked', equal: false }, press('BATAL')],
  VERIFY_FINGER: [
    { type: 'verified', outcome: { decision: 'match', score: 80, quality: 70 } },
    { type: 'verified', outcome: { decision: 'no_match', score: 4, quality: 70 } },
    { type: 'verified', outcome: { decision: 'retry', guidance: 'PRESS_HARDER', quality: 10 } },
    { type: 'capture_failed', code: 'DISCONNECTED', retryable: true },
    press('JARI_LAIN'),
    press('BATAL'),
  ],
  HANDOVER: [press('SESUAI'), press('BATAL')],
  RETURN_DOCS: [press('SESUAI'), press('BATAL')],
  UNVERIFIED: [press('SESUAI'), press('BATAL')],
};

/** One counter over a real ledger, committing each step like the runner does. */
class PureCounter {
  state: TxState = { name: 'IDLE' };
  readonly verdicts = { berhasil: 0, gagal: 0, tertunda: 0 };
  private clock = FIRST_DAY;
  private txSeq = 0;
  readonly ledger: Ledger;

  constructor(
    readonly db: Database.Database,
    private readonly residents: readonly VirtualResident[],
  ) {
    this.ledger = new Ledger(db, () => new Date((this.clock += 1000)), 'Asia/Jakarta');
    this.ledger.importRoster(verifyRoster(virtualRoster(residents, 'kec-demo', 'B-1', '2026-11-26T00:00:00.000Z'), loadTrustedKeys([DEV_KEY_ID])));
  }

  startDay(day: number): void {
    this.clock = FIRST_DAY + day * DAY_MS;
  }

  /** Intake desk; refusals of a card already handed over or a resident already queued are normal. */
  intake(index: number): void {
    try {
      this.ledger.intake(this.residents[index].letterNo, 'A');
    } catch (err) {
      if (err instanceof CounterError && (err.code === 'ALREADY_ISSUED' || err.code === 'ALREADY_QUEUED')) return;
      throw err;
    }
  }

  private context(): StepContext {
    return {
      config: { fingerOrder: ['right_index', 'left_index'], maxAttempts: 3, attemptsBeforeSwitch: 2, maxQualityRetries: 2, readAttempts: 2, maxDeviceFaults: 2, unverifiedDocuments: 'return' },
      nextTicket: () => this.ledger.nextWaiting(),
      newTxId: () => `00000000-0000-4000-8000-${String(++this.txSeq).padStart(12, '0')}`,
      now: () => new Date(this.clock).toISOString(),
    };
  }

  input(input: TxInput): void {
    const before = this.state;
    const { next, effects } = step(before, input, this.context());
    if (next === before && effects.length === 0) return;
    const tx = 'tx' in next ? next.tx : 'tx' in before ? before.tx : null;
    this.ledger.atomically(() => {
      for (const e of effects) if (tx) commitLedgerEffect(this.ledger, e, tx, next);
      if (tx && next.name !== 'IDLE') this.ledger.saveState(tx.id, next.name, JSON.stringify(next));
    });
    for (const e of effects) if (e.kind === 'verdict') this.verdicts[e.outcome] += 1;
    this.state = next;
  }

  /** End of the day: the open transaction is finished or cancelled, never left half-way. */
  closeDay(): void {
    for (let guard = 0; this.state.name !== 'IDLE' && guard < 10; guard++) {
      const verdict = this.state.name === 'HANDOVER' || this.state.name === 'RETURN_DOCS' || this.state.name === 'UNVERIFIED';
      this.input(press(verdict ? 'SESUAI' : 'BATAL'));
    }
  }
}

const dayArb = fc.record({
  intake: fc.array(fc.nat(RESIDENTS - 1), { minLength: 1, maxLength: 6 }),
  choices: fc.array(fc.nat(), { minLength: 10, maxLength: 80 }),
});

t.test('reconcile', async (t) => {
  t.test('holds after every random day driven through step() and a real ledger', async (t) => {
    const residents = makeResidents(3, RESIDENTS);
    let days = 0;
    let verdicts = 0;
    fc.assert(
      fc.property(fc.array(dayArb, { minLength: 1, maxLength: 4 }), (plan) => {
        const db = new Database(':memory:');
        configureDatabase(db);
        try {
          const counter = new PureCounter(db, residents);
          plan.forEach((day, d) => {
            counter.startDay(d);
            for (const i of day.intake) counter.intake(i);
            for (const c of day.choices) {
              const options = INPUTS[counter.state.name];
              counter.input(options[c % options.length]);
            }
            counter.closeDay();
            days += 1;

            const r = reconcile(db);
            if (!r.ok) throw new Error(`day ${d}: ${r.problems.join('; ')}`);
            const v = verifyLedger(db);
            if (!v.ok) throw new Error(`day ${d}: ${v.problems.join('; ')}`);
            // The balance, against what this test saw rather than what the ledger says of itself.
            const { berhasil, gagal } = counter.verdicts;
            const cards = r.items.ektp;
            if (cards.received !== RESIDENTS) throw new Error(`cards received ${cards.received}`);
            if (cards.byState.issued !== berhasil || cards.byState.retained !== gagal || cards.byState.on_hand !== RESIDENTS - berhasil - gagal) {
              throw new Error(`cards ${JSON.stringify(cards.byState)} after ${berhasil} berhasil and ${gagal} gagal`);
            }
            for (const kind of ['old_ktp', 'letter'] as const) {
              const b = r.items[kind];
              const total = b.byState.held + b.byState.returned + b.byState.kept;
              if (total !== b.received || b.byState.kept !== berhasil) throw new Error(`${kind} ${JSON.stringify(b)} after ${berhasil} berhasil`);
            }
          });
          verdicts += counter.verdicts.berhasil + counter.verdicts.gagal + counter.verdicts.tertunda;
        } finally {
          db.close();
        }
      }),
      { numRuns: 150, seed: 20261127 },
    );
    t.ok(days > 150, `${days} days played`);
    t.ok(verdicts > 150, `${verdicts} verdicts reached: the random days go deep, not only to CALLED`);
  });
});
