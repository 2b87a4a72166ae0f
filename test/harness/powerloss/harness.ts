import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { CardData } from '../../../drivers/card/types.ts';
import { startPrinterEmulator, type PrinterEmulator } from '../printerEmulator/index.ts';
import { loadChainKey } from '../../../agent/ledger/chainKey.ts';
import { initLedgerFiles } from '../../../agent/ledger/open.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import type { TxStateName } from '../../../agent/transaction/states.ts';
import { auditCustody, auditEvents, auditSheets, sheetFromDoc, type ReceivedEvent, type Sheet } from './audit.ts';
import { TX_STATES, type ChildMessage, type ChildOptions, type ChildReport, type ParentMessage } from './protocol.ts';
import { scenarioFor, type Scenario } from '../../../agent/sim/scenarios.ts';
import { prng } from '../../../agent/sim/residents.ts';

/**
 * The power-loss harness: plays one counter day with the agent in a child process, SIGKILLs it
 * at seeded random times in every transaction state, restarts it on the same SQLite file each
 * time, lets the last run finish the day, and then audits what the printer printed, what the
 * broker delivered and what the ledger says, against each other.
 *
 * Kill points are random times, not safe points: a kill aimed at a state lands a random delay into
 * that state's observed dwell (wherever its after-commit work happens to be); others land a random
 * time after boot, at a printed sheet or at a delivered event. "Freeze" kills (dead stop right
 * after a state's commit, the safest point there is) only buy coverage of a state the random kills
 * keep missing, and are capped at FREEZE_SHARE of the kills. The short states where custody moves
 * or is argued over get at least KILLS_PER_100 kills per 100 each. A run that meets no kill
 * condition in time is a hang and fails the test.
 */
export interface PowerLossOptions {
  readonly kills: number;
  readonly seed: number;
  readonly residents: number;
  /** A running broker (the caller starts and stops it). */
  readonly mqttUrl: string;
  /** Scratch directory for the ledger and the agent's log. */
  readonly workDir: string;
  readonly progress?: (line: string) => void;
  /** A run that meets no kill condition (or does not finish the day) within this time fails the test. */
  readonly runTimeoutMs?: number;
}

export type KillPlan =
  /** Stop dead on entering the state, right after its commit; kill. Coverage only, capped. */
  | { readonly mode: 'freeze'; readonly state: TxStateName }
  /**
   * Kill a random delay after the child enters the state; the delay is drawn within a dwell of the
   * state seen in an earlier run, so the kill lands anywhere in it. `by: 'harness'`: SIGKILL from
   * here, timed from the child's report. `by: 'child'`: the child SIGKILLs itself after `delayMs`
   * or, when 0, after `hops` microtask turns: for stays shorter than the harness's reaction time.
   */
  | { readonly mode: 'after'; readonly state: TxStateName; readonly by: 'child' | 'harness'; readonly delayMs: number; readonly hops: number }
  /** Kill a random delay after the child is up. */
  | { readonly mode: 'time'; readonly delayMs: number }
  /** Kill the moment the n-th sheet of this run is cut (before the agent marks it printed). */
  | { readonly mode: 'sheet'; readonly n: number }
  /** Kill the moment the broker delivers the n-th event of this run (before the agent's ack). */
  | { readonly mode: 'event'; readonly n: number };

export interface KillRecord {
  readonly run: number;
  readonly plan: KillPlan;
  /** What ended the run: the plan's condition or `parked` (nothing left to do before it came). */
  readonly trigger: 'plan' | 'parked';
  /** The transaction state the ledger holds after the kill (IDLE: no open transaction). */
  readonly state: TxStateName;
  readonly ms: number;
}

export interface PowerLossReport {
  readonly kills: number;
  readonly custodyRowsLost: number;
  readonly custodyRowsDuplicated: number;
  readonly custodyChainBreaks: number;
  readonly slipsPrintedTwiceUnmarked: number;
  readonly slipsMissing: number;
  readonly slipsUnexpected: number;
  readonly eventsLost: number;
  readonly eventsDuplicated: number;
  readonly eventsDuplicatedRaw: number;
  readonly eventsRedelivered: number;
  readonly eventsUnexpected: number;
  /** Device fault/recovery events sent during the day (not tied to an outcome; see audit.ts). */
  readonly eventsDeviceFaults: number;
  readonly reconciles: boolean;
  /** reconcile(db).problems and verifyLedger(db).problems of the final ledger. */
  readonly reconcileProblems: readonly string[];
  readonly verifyProblems: readonly string[];
  readonly statesKilled: Readonly<Record<TxStateName, number>>;
  /** Kills per kind: the plan's mode when its condition fired, `parked` when the day ran out first. */
  readonly killModes: Readonly<Record<KillKind, number>>;
  /** The same kinds per state the ledger held after the kill. */
  readonly killMix: Readonly<Record<TxStateName, Readonly<Record<KillKind, number>>>>;
  /** What the mix was held to: the freeze cap and the minimum kills per state. */
  readonly mixRules: {
    readonly freezeCap: number;
    readonly minimumPerState: Readonly<Record<TxStateName, number>>;
    readonly minimumPerKind: Readonly<Partial<Record<KillKind, number>>>;
  };
  /** Median stay per state (ms, child's clock) over the stays seen between reports; kills aim within these. */
  readonly dwellMedianMs: Readonly<Partial<Record<TxStateName, number>>>;
  /** Every way the kill mix breaks mixRules (empty when it holds). */
  readonly mixProblems: readonly string[];
  readonly runs: number;
  readonly residents: number;
  readonly seed: number;
  readonly transactions: { readonly closed: number; readonly interrupted: number; readonly byOutcome: Readonly<Record<string, number>> };
  readonly sheets: { readonly printed: number; readonly reprintsMarked: number; readonly markedWithoutOriginal: number; readonly incomplete: number };
  readonly events: { readonly received: number; readonly required: number };
  readonly finalRun: { readonly printQueueDepth: number; readonly outboxDepth: number };
  readonly notes: Readonly<Record<string, string>>;
  readonly findings: readonly string[];
  /** Every kill: run, plan, what triggered it and the state the ledger held afterwards. */
  readonly killLog: readonly string[];
  /** Process start to counter started, per run of the agent (node + tsx load, matcher worker, devices). */
  readonly childBootMs: { readonly median: number; readonly max: number };
  readonly timeMs: number;
}

/** The transaction states each scenario passes through (IDLE comes after every one). */
const REACH: Record<Scenario, readonly TxStateName[]> = {
  berhasil_first_try: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'VERIFY_FINGER', 'HANDOVER'],
  berhasil_left_finger: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'VERIFY_FINGER', 'HANDOVER'],
  berhasil_after_quality_retry: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'VERIFY_FINGER', 'HANDOVER'],
  wrong_card_first: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'VERIFY_FINGER', 'HANDOVER'],
  gagal_fingerprint: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'VERIFY_FINGER', 'RETURN_DOCS'],
  dispute_agrees: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'DISPUTE_REVIEW', 'VERIFY_FINGER', 'HANDOVER'],
  dispute_differs: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'DISPUTE_REVIEW', 'RETURN_DOCS'],
  print_mismatch: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'DISPUTE_REVIEW', 'RETURN_DOCS'],
  card_damaged: ['CALLED', 'READING_CARD', 'DATA_CHECK', 'RETURN_DOCS'],
  cancelled: ['CALLED', 'READING_CARD', 'DATA_CHECK'],
  card_unreadable: ['CALLED', 'READING_CARD', 'UNVERIFIED'],
  no_show: ['CALLED'],
};
const PRE_VERDICT: ReadonlySet<TxStateName> = new Set(['CALLED', 'READING_CARD', 'DATA_CHECK', 'DISPUTE_REVIEW', 'VERIFY_FINGER']);
/** A run gives up a kill aimed this long after boot or a state entry and fails as a hang instead. */
const DEFAULT_RUN_TIMEOUT_MS = 180_000;
/** The first six residents of the rotation pass every transaction state, DISPUTE_REVIEW and UNVERIFIED included (scenarios.ts). */
export const MIN_RESIDENTS = 6;

export type KillKind = KillPlan['mode'] | 'parked';
export const KILL_KINDS: readonly KillKind[] = ['after', 'time', 'sheet', 'event', 'freeze', 'parked'];
/**
 * Kills per 100 that each of these states gets at least. They are the short states (tens of ms
 * between two button presses on the scripted day) where the verdict's custody moves and receipt
 * commit (HANDOVER, RETURN_DOCS) or the dispute comparison happens (DISPUTE_REVIEW); a time-uniform
 * draw gives them about one kill per 100 each. Eight per 100 is what an even split over the eight
 * states would give, so each of them is cut at least as often as an average state, at several
 * different points of its dwell, across more than one resident of a 20-resident day.
 */
export const KILLS_PER_100: Partial<Record<TxStateName, number>> = { HANDOVER: 8, RETURN_DOCS: 8, DISPUTE_REVIEW: 8 };
/**
 * At most this share of the kills (at least one) may be "freeze" kills. Freezing stops the agent
 * at the one instant after a commit where nothing is in flight, so it proves little; it is only
 * the fallback for a state that MISSES_BEFORE_FREEZE random kills aimed at it have missed.
 */
export const FREEZE_SHARE = 0.1;
const MISSES_BEFORE_FREEZE = 3;
/** Share of kills aimed at a state still short of its minimum when the head can reach it. */
const AIM_SHARE = 0.75;
/** Microtask turns a sub-millisecond kill may wait (a step's after-commit chain is about this long). */
const MAX_HOPS = 24;
/**
 * States that last less than this (ms) are killed by the child's own timer: the harness hears of
 * the entry through a pipe and reacts several ms later on this loaded machine (DISPUTE_REVIEW
 * lasts about 6 ms). Longer stays are killed from outside, which can land in the middle of
 * synchronous work (a commit, a card read) where the child's own timers never run.
 */
const CHILD_TIMED_BELOW_MS = 20;

/** The minimum kills per state for a run of `kills` kills: one everywhere, more where KILLS_PER_100 says. */
export function minimumKills(kills: number): Record<TxStateName, number> {
  return Object.fromEntries(TX_STATES.map((s) => [s, Math.max(1, Math.ceil(((KILLS_PER_100[s] ?? 0) * kills) / 100))])) as Record<TxStateName, number>;
}

export function freezeCap(kills: number): number {
  return Math.max(1, Math.floor(kills * FREEZE_SHARE));
}

/**
 * Kills per 100 of each kind that cuts across states (from 50 kills on): a random time after boot,
 * the moment a sheet is cut (before the agent marks it printed), the moment the broker delivers
 * an event (before the agent's ack). These are what the slip and event audits are for.
 */
export const KIND_KILLS_PER_100: Partial<Record<KillKind, number>> = { time: 2, sheet: 2, event: 2 };

export function minimumKinds(kills: number): Partial<Record<KillKind, number>> {
  if (kills < 50) return {};
  return Object.fromEntries(Object.entries(KIND_KILLS_PER_100).map(([k, n]) => [k, Math.ceil((n * kills) / 100)]));
}

/** Every way a report's kill mix breaks the rules above. */
export function checkMix(r: Pick<PowerLossReport, 'statesKilled' | 'killModes' | 'mixRules'>): string[] {
  const bad: string[] = [];
  for (const [kind, need] of Object.entries(r.mixRules.minimumPerKind) as [KillKind, number][]) {
    if (r.killModes[kind] < need) bad.push(`${r.killModes[kind]} ${kind} kills, at least ${need} wanted`);
  }
  for (const s of TX_STATES) {
    const need = r.mixRules.minimumPerState[s];
    if (r.statesKilled[s] < need) bad.push(`${r.statesKilled[s]} kills in ${s}, at least ${need} wanted`);
  }
  if (r.killModes.freeze > r.mixRules.freezeCap) bad.push(`${r.killModes.freeze} freeze kills, at most ${r.mixRules.freezeCap} allowed`);
  return bad;
}
/** A fixed working morning at the site (08:00 WIB), so every run lands on the same local day. */
const DAY_START = Date.parse('2026-11-27T01:00:00.000Z');
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** The harness's one source of randomness (the child's timing is not random). */
export { prng };

/** What the ledger says between runs; read from the file while no agent runs. */
interface LedgerView {
  readonly openState: TxStateName | null;
  /** Index of the resident at the head of the queue (intake order if not yet taken in). */
  readonly head: number | null;
  /** Residents not yet served to a close (waiting or not yet taken in). */
  readonly remaining: number;
}

function readLedger(path: string, residentLetters: readonly string[]): LedgerView {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return { openState: null, head: residentLetters.length > 0 ? 0 : null, remaining: residentLetters.length };
  }
  try {
    const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tickets'").get();
    if (!hasTables) return { openState: null, head: residentLetters.length > 0 ? 0 : null, remaining: residentLetters.length };
    const open = db.prepare('SELECT state FROM transactions WHERE closed_at IS NULL').get() as { state: TxStateName } | undefined;
    const next = db
      .prepare("SELECT r.letter_no FROM tickets k JOIN residents r ON r.id = k.resident_id WHERE k.state = 'waiting' ORDER BY k.issued_at, k.id LIMIT 1")
      .get() as { letter_no: string } | undefined;
    const taken = new Set((db.prepare("SELECT ref FROM items WHERE kind = 'letter'").all() as { ref: string }[]).map((r) => r.ref));
    const waiting = (db.prepare("SELECT COUNT(*) AS n FROM tickets WHERE state = 'waiting'").get() as { n: number }).n;
    const notTaken = residentLetters.filter((l) => !taken.has(l));
    const headLetter = next?.letter_no ?? notTaken[0] ?? null;
    return {
      openState: open?.state ?? null,
      head: headLetter === null ? null : residentLetters.indexOf(headLetter),
      remaining: waiting + notTaken.length,
    };
  } finally {
    db.close();
  }
}

/** What the planner knows when it chooses the next kill. */
interface PlanContext {
  readonly view: LedgerView;
  readonly statesKilled: Readonly<Record<TxStateName, number>>;
  readonly minimum: Readonly<Record<TxStateName, number>>;
  readonly killsLeft: number;
  readonly freezesLeft: number;
  /** Kills aimed at each state (`after`) that landed elsewhere since the last one that hit it. */
  readonly misses: Readonly<Record<TxStateName, number>>;
  /** One dwell (ms) of the state as this harness saw it, drawn at random from those seen; null before any. */
  readonly dwell: (state: TxStateName) => number | null;
  /** Residents on the day (queue order is the rotation's order, scenarios.ts). */
  readonly residents: number;
  /** Fewest microtask turns after entry seen to leave the state already (MAX_HOPS until one is). */
  readonly hopBound: Readonly<Record<TxStateName, number>>;
}

/**
 * Chooses the next kill: mostly (AIM_SHARE) the states still short of their minimum that the head
 * of the queue can reach, aimed at a random time within the state's dwell (frozen only after
 * repeated misses and while the freeze cap allows); otherwise a random mix of kinds (within a
 * state, at a random time, at a sheet, at an event). The mix spends residents (kills after a
 * close) in proportion to the kills left, so the day lasts until the last kill.
 */
function planKill(rng: () => number, c: PlanContext): KillPlan {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const { view } = c;
  const work = view.head !== null || view.openState !== null;
  if (!work) return { mode: 'time', delayMs: Math.floor(rng() * 500) };
  const within = (state: TxStateName): KillPlan => {
    const dwell = c.dwell(state);
    // A state not seen yet has no dwell to aim in. UNVERIFIED (card_unreadable) is reached by one
    // resident of a six-resident day and lasts a few ms: a guessed 200 ms from outside would miss
    // its only stay. The child's own kill after a few microtask turns lands inside the state
    // whatever it lasts (in the after-commit work of the step that entered it).
    if (dwell === null) return { mode: 'after', state, by: 'child', delayMs: 0, hops: Math.floor(rng() * c.hopBound[state]) };
    // After a miss, count microtask turns instead of milliseconds: on a loaded machine a timer a
    // few ms into a short state fires after the state has ended, while turns do not depend on load
    // (and each miss by turns lowers hopBound, so the aim converges on the state's entry).
    if (c.misses[state] > 0) return { mode: 'after', state, by: 'child', delayMs: 0, hops: Math.floor(rng() * c.hopBound[state]) };
    const ms = rng() * dwell;
    // Stays shorter than the harness's reaction time are timed by the child (see KillPlan).
    const by = dwell < CHILD_TIMED_BELOW_MS ? 'child' : 'harness';
    if (ms < 1 || (by === 'child' && rng() < 0.5)) return { mode: 'after', state, by: 'child', delayMs: 0, hops: Math.floor(rng() * c.hopBound[state]) };
    return { mode: 'after', state, by, delayMs: Math.max(1, Math.floor(ms)), hops: 0 };
  };
  // How many residents after the head still reach each state.
  const laterCount = new Map<TxStateName, number>();
  if (view.head !== null) for (let i = view.head + 1; i < c.residents; i++) REACH[scenarioFor(i)].forEach((s) => laterCount.set(s, (laterCount.get(s) ?? 0) + 1));
  // The wanted states fewest later residents reach: a dispute resident at the head is one of three
  // chances of the day at DISPUTE_REVIEW, while nearly every resident passes CALLED or DATA_CHECK.
  const rarest = (states: readonly TxStateName[]): TxStateName[] => {
    const fewest = Math.min(...states.map((st) => laterCount.get(st) ?? 0));
    return states.filter((st) => (laterCount.get(st) ?? 0) === fewest);
  };
  const aim = (state: TxStateName): KillPlan => {
    if (c.misses[state] >= MISSES_BEFORE_FREEZE && c.freezesLeft > 0) return { mode: 'freeze', state };
    // The last resident who reaches a state after the verdict: a miss closes that resident and the
    // day runs out short of the state (UNVERIFIED is one resident in the twelve of the rotation).
    // Kill on entry, after no microtask turn, rather than at a random point of a stay that may be
    // only a few turns long.
    if (!PRE_VERDICT.has(state) && state !== 'IDLE' && !laterCount.has(state)) return { mode: 'after', state, by: 'child', delayMs: 0, hops: 0 };
    return within(state);
  };
  // A transaction past its verdict resumes in its state on restart (pre-verdict ones close as interrupted).
  const resumed = view.openState !== null && !PRE_VERDICT.has(view.openState) ? [view.openState] : [];
  const reach: TxStateName[] = ['IDLE', ...resumed, ...(view.head !== null ? REACH[scenarioFor(view.head)] : [])];
  const short = TX_STATES.filter((s) => c.statesKilled[s] < c.minimum[s]);
  const wanted = short.filter((s) => reach.includes(s));
  // A short state no resident after the head reaches (UNVERIFIED on a six-resident day): the head
  // is its last chance, so aim at it every time rather than three times in four.
  const lastChance = wanted.some((s) => s !== 'IDLE' && !laterCount.has(s));
  // Most kills go to what is still short while the head can reach it (a dispute resident is at the
  // head for a few kills only); the rest, and all once the minimums are met, to the random mix.
  if (wanted.length > 0 && (lastChance || rng() < AIM_SHARE)) {
    // Kills before the verdict leave the head in the queue, so take those first; a kill in a
    // verdict state or after the close moves the queue on, and IDLE can be had from any resident.
    const keep = wanted.filter((s) => PRE_VERDICT.has(s));
    if (keep.length > 0) return aim(pick(rarest(keep)));
    const verdict = wanted.filter((s) => s !== 'IDLE');
    return aim(verdict.length > 0 ? pick(rarest(verdict)) : 'IDLE');
  }
  // The head cannot reach what is short: kill after its close so the queue moves on.
  if (wanted.length === 0 && short.length > 0 && rng() < AIM_SHARE) return within('IDLE');

  // A spending kill may close more than one resident (a timed kill lets the day run on), so spend
  // at two thirds of the even rate, and keep the last resident for the kills that are left.
  const spend = view.remaining <= 1 && c.killsLeft > 1 ? 0 : Math.min(0.9, (view.remaining - 1) / (1.5 * Math.max(1, c.killsLeft)));
  const before = reach.filter((s) => PRE_VERDICT.has(s));
  if ((spend === 0 || rng() >= spend) && before.length > 0) {
    // Kills that mostly keep the head: inside a state before the verdict, at the first sheet or
    // event of the run (the data-check slip, the call's events), or at a random time in the first
    // 2 s after boot (the call, the card read and most of the fingerprint step take about that).
    const kind = Math.floor(rng() * 4);
    if (kind === 0) return { mode: 'sheet', n: 1 };
    if (kind === 1) return { mode: 'event', n: 1 };
    if (kind === 2) return { mode: 'time', delayMs: Math.floor(rng() * 2000) };
    return within(pick(before));
  }
  const kind = Math.floor(rng() * 4);
  if (kind === 0) return { mode: 'time', delayMs: Math.floor(rng() * 6000) };
  if (kind === 1) return { mode: 'sheet', n: 1 + Math.floor(rng() * 3) };
  if (kind === 2) return { mode: 'event', n: 1 + Math.floor(rng() * 2) };
  return within(pick(reach));
}

/** Recent dwells per state, from the child's state reports, for aiming kills inside a state. */
class Dwells {
  private readonly seen = new Map<TxStateName, number[]>();

  add(state: TxStateName, ms: number): void {
    const xs = this.seen.get(state) ?? [];
    xs.push(ms);
    if (xs.length > 50) xs.shift();
    this.seen.set(state, xs);
  }

  /** Median dwell per state seen so far (ms, child's clock). */
  medians(): Partial<Record<TxStateName, number>> {
    return Object.fromEntries([...this.seen].map(([state, xs]) => [state, Math.round(median(xs) * 10) / 10]));
  }

  /** A dwell seen for the state, drawn at random; null before any is seen. */
  draw(state: TxStateName, rng: () => number): number | null {
    const xs = this.seen.get(state);
    if (!xs || xs.length === 0) return null;
    return xs[Math.floor(rng() * xs.length)];
  }
}

interface RunResult {
  readonly trigger: KillRecord['trigger'] | 'finished';
  readonly finished: Extract<ChildReport, { type: 'finished' }> | null;
  /** The child's boot stages (ms since its process start), when it got that far. */
  readonly stages: Readonly<Record<string, number>> | null;
}

export async function runPowerLoss(o: PowerLossOptions): Promise<PowerLossReport> {
  if (!Number.isInteger(o.kills) || o.kills < TX_STATES.length) throw new RangeError(`kills must be at least ${TX_STATES.length} (one per transaction state)`);
  if (!Number.isInteger(o.residents) || o.residents < MIN_RESIDENTS) throw new RangeError(`residents must be at least ${MIN_RESIDENTS} to pass every state`);
  const started = Date.now();
  const progress = o.progress ?? (() => {});
  const rng = prng(o.seed ^ 0x5eed);
  const dataDir = join(o.workDir, 'agent');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ledgerPath = join(dataDir, 'ledger.sqlite');
  // The child drives a real printer driver, so it may not trust the development roster key: the
  // harness makes a key pair of its own, and the ledger's first run like scripts/install does.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rosterPublicKey = join(o.workDir, 'roster.pub.pem');
  const rosterPrivateKey = join(o.workDir, 'roster.key.pem');
  writeFileSync(rosterPublicKey, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  writeFileSync(rosterPrivateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const ledgerKeyFile = join(o.workDir, 'ledger.key');
  if (!existsSync(ledgerPath)) initLedgerFiles({ dataDir, keyFile: ledgerKeyFile });
  const letters = makeResidents(o.seed, o.residents).map((r) => r.letterNo);

  const { default: mqtt } = await import('mqtt');
  // A persistent session (clean: false, MQTT 3.1.1) keeps QoS 1 events for us across a reconnect.
  const subscriber = await mqtt.connectAsync(o.mqttUrl, { clientId: `powerloss-audit-${process.pid}`, clean: false, protocolVersion: 4, reconnectPeriod: 200 });
  const received: ReceivedEvent[] = [];
  let onEvent: () => void = () => {};
  subscriber.on('message', (_topic, payload) => {
    try {
      const e = JSON.parse(payload.toString('utf8')) as ReceivedEvent;
      received.push({ bootId: e.bootId, seq: e.seq, txId: e.txId, type: e.type });
    } catch {
      received.push({ bootId: '?', seq: -1, txId: '?', type: 'malformed' });
    }
    onEvent();
  });
  await subscriber.subscribeAsync('ektp/v1/+/+/event', { qos: 1 });

  const cards = new Map<number, CardData>();
  const sheets: Sheet[] = [];
  const kills: KillRecord[] = [];
  const statesKilled = Object.fromEntries(TX_STATES.map((s) => [s, 0])) as Record<TxStateName, number>;
  let finished: RunResult['finished'] = null;
  const bootMs: number[] = [];
  const minimum = minimumKills(o.kills);
  const cap = freezeCap(o.kills);
  const misses = Object.fromEntries(TX_STATES.map((s) => [s, 0])) as Record<TxStateName, number>;
  const hopBound = Object.fromEntries(TX_STATES.map((s) => [s, MAX_HOPS])) as Record<TxStateName, number>;
  const dwells = new Dwells();

  const runOnce = async (run: number, plan: KillPlan | null): Promise<RunResult> => {
    const emulator = await startPrinterEmulator({ columns: 48 });
    const options: ChildOptions = {
      dataDir,
      residents: o.residents,
      seed: o.seed,
      printerPort: emulator.port,
      rosterPublicKey,
      rosterPrivateKey,
      ledgerKeyFile,
      mqttUrl: o.mqttUrl,
      clockBase: DAY_START,
      clockOrigin: started,
      finish: plan === null,
      freeze: plan?.mode === 'freeze' ? { state: plan.state, occurrence: 1 } : null,
      // Sub-millisecond kills are timed by the child itself; longer ones from here (below).
      killIn: plan?.mode === 'after' && plan.by === 'child' ? { state: plan.state, delayMs: plan.delayMs, hops: plan.hops } : null,
      logLevel: 'info',
    };
    const child = fork(CHILD, [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'ipc'],
    });
    try {
      return await superviseRun(child, {
        emulator,
        plan,
        run,
        timeoutMs: o.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
        cards,
        setOnEvent: (f) => (onEvent = f),
        eventCount: () => received.length,
        onDwell: (state, ms) => dwells.add(state, ms),
      });
    } finally {
      emulator.documents().forEach((doc, i) => sheets.push(sheetFromDoc(doc, run, i)));
      await emulator.close();
    }
  };

  try {
    for (let run = 0; ; run++) {
      const view = readLedger(ledgerPath, letters);
      const short = TX_STATES.filter((s) => statesKilled[s] < minimum[s]);
      const last = kills.length >= o.kills && short.length === 0;
      if (!last && view.head === null && view.openState === null && short.some((s) => s !== 'IDLE')) {
        throw new Error(`power-loss: the day ran out before ${short.map((s) => `${minimum[s]} kills in ${s}`).join(', ')}; use more residents`);
      }
      if (!last && kills.length >= 3 * o.kills) {
        throw new Error(`power-loss: ${kills.length} kills and still short of ${short.map((s) => `${minimum[s]} in ${s}`).join(', ')}`);
      }
      const freezes = kills.filter((k) => k.plan.mode === 'freeze').length;
      const plan = last
        ? null
        : planKill(rng, {
            view,
            statesKilled,
            minimum,
            killsLeft: o.kills - kills.length,
            freezesLeft: cap - freezes,
            misses,
            dwell: (state) => dwells.draw(state, rng),
            residents: o.residents,
            hopBound,
          });
      const t0 = Date.now();
      const result = await runOnce(run, plan);
      if (plan === null) {
        finished = result.finished;
        progress(`run ${run}: finished the day in ${Date.now() - t0} ms`);
        break;
      }
      const state = readLedger(ledgerPath, letters).openState ?? 'IDLE';
      statesKilled[state] += 1;
      if (plan.mode === 'after' || plan.mode === 'freeze') misses[plan.state] = state === plan.state ? 0 : misses[plan.state] + 1;
      // More turns would have left the state too: draw below this from now on.
      if (plan.mode === 'after' && plan.by === 'child' && plan.delayMs === 0 && state !== plan.state) hopBound[plan.state] = Math.max(1, Math.min(hopBound[plan.state], plan.hops));
      kills.push({ run, plan, trigger: result.trigger as KillRecord['trigger'], state, ms: Date.now() - t0 });
      if (result.stages) bootMs.push(result.stages.started ?? 0);
      progress(`run ${run}: kill ${kills.length} (${describePlan(plan)}, ${result.trigger}) in ${state} after ${Date.now() - t0} ms; boot ${JSON.stringify(result.stages)}; dwell medians ${JSON.stringify(dwells.medians())}`);
    }

    const db = new Database(ledgerPath, { readonly: true, fileMustExist: true });
    try {
      const closedTx = db.prepare('SELECT outcome, reason FROM transactions WHERE closed_at IS NOT NULL').all() as { outcome: string; reason: string | null }[];
      const requiredCount = auditEvents([], db).required;
      await waitUntil(() => new Set(received.map((e) => `${e.txId}:${e.type}`)).size >= requiredCount, 15_000);
      // Late redeliveries would still count as raw duplicates; give in-flight messages a moment.
      await new Promise((r) => setTimeout(r, 500));
      const sheetAudit = auditSheets(sheets, db);
      const eventAudit = auditEvents(received, db);
      const custody = auditCustody(db);
      const rec = reconcile(db);
      const ver = verifyLedger(db, loadChainKey(ledgerKeyFile));
      const byOutcome: Record<string, number> = {};
      for (const t of closedTx) byOutcome[t.outcome] = (byOutcome[t.outcome] ?? 0) + 1;
      const killModes = Object.fromEntries(KILL_KINDS.map((k) => [k, 0])) as Record<KillKind, number>;
      const killMix = Object.fromEntries(TX_STATES.map((s) => [s, Object.fromEntries(KILL_KINDS.map((k) => [k, 0]))])) as Record<TxStateName, Record<KillKind, number>>;
      for (const k of kills) {
        const kind: KillKind = k.trigger === 'plan' ? k.plan.mode : k.trigger;
        killModes[kind] += 1;
        killMix[k.state][kind] += 1;
      }
      const mixRules = { freezeCap: cap, minimumPerState: minimum, minimumPerKind: minimumKinds(o.kills) };
      return {
        kills: kills.length,
        custodyRowsLost: custody.lost,
        custodyRowsDuplicated: custody.duplicated,
        custodyChainBreaks: custody.chainBreaks,
        slipsPrintedTwiceUnmarked: sheetAudit.printedTwiceUnmarked,
        slipsMissing: sheetAudit.missing,
        slipsUnexpected: sheetAudit.unexpected,
        eventsLost: eventAudit.lost,
        eventsDuplicated: eventAudit.duplicated,
        eventsDuplicatedRaw: eventAudit.duplicatedRaw,
        eventsRedelivered: eventAudit.redelivered,
        eventsUnexpected: eventAudit.unexpected,
        eventsDeviceFaults: eventAudit.deviceFaults,
        reconciles: rec.ok && ver.ok,
        reconcileProblems: rec.problems,
        verifyProblems: ver.problems,
        statesKilled,
        killModes,
        killMix,
        mixRules,
        mixProblems: checkMix({ statesKilled, killModes, mixRules }),
        dwellMedianMs: dwells.medians(),
        runs: kills.length + 1,
        residents: o.residents,
        seed: o.seed,
        transactions: { closed: closedTx.length, interrupted: closedTx.filter((t) => t.reason === 'interrupted').length, byOutcome },
        sheets: {
          printed: sheetAudit.sheets,
          reprintsMarked: sheetAudit.reprintsMarked,
          markedWithoutOriginal: sheetAudit.markedWithoutOriginal,
          incomplete: sheetAudit.incomplete,
        },
        events: { received: eventAudit.received, required: eventAudit.required },
        finalRun: { printQueueDepth: finished?.printQueueDepth ?? -1, outboxDepth: finished?.outboxDepth ?? -1 },
        notes: {
          eventsDuplicated:
            'consumer-visible: the same (txId, type) under more than one (bootId, seq); a consumer that drops repeats of (bootId, seq), as the outbox contract asks, still sees these twice',
          eventsDuplicatedRaw: 'every arrival beyond the first of a (txId, type), including the broker delivering the same (bootId, seq) again',
          eventsRedelivered: 'same (bootId, seq) delivered again: QoS 1 is at-least-once and a cut between the broker ack and the outbox ack resends; not a fault',
          statesKilled: 'the transaction state the ledger held right after each kill (IDLE: no open transaction)',
          killModes:
            'after: a random time within a dwell of the aimed state; time: a random time after boot; sheet/event: as the n-th sheet is cut or event delivered; freeze: dead stop right after a commit (coverage fallback, capped); parked: the day ran out before the condition',
          killMix: 'killModes split by the state the ledger held after the kill',
          reconciles: 'reconcile(db).ok && verifyLedger(db).ok on the final ledger',
        },
        findings: [...custody.findings, ...sheetAudit.findings, ...eventAudit.findings],
        childBootMs: { median: median(bootMs), max: Math.max(0, ...bootMs) },
        killLog: kills.map((k) => `run ${k.run}: ${describePlan(k.plan)} (${k.trigger}) -> ${k.state}`),
        timeMs: Date.now() - started,
      };
    } finally {
      db.close();
    }
  } finally {
    await subscriber.endAsync(true);
  }
}

function describePlan(p: KillPlan): string {
  switch (p.mode) {
    case 'freeze':
      return `freeze on ${p.state}`;
    case 'after':
      return `${p.delayMs > 0 ? `${p.delayMs} ms` : `${p.hops} microtasks`} into ${p.state} (${p.by})`;
    case 'time':
      return `${p.delayMs} ms after start`;
    case 'sheet':
      return `at sheet ${p.n}`;
    case 'event':
      return `at event ${p.n}`;
  }
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

interface Supervision {
  readonly emulator: PrinterEmulator;
  readonly plan: KillPlan | null;
  readonly run: number;
  readonly timeoutMs: number;
  readonly cards: Map<number, CardData>;
  readonly setOnEvent: (f: () => void) => void;
  readonly eventCount: () => number;
  /** How long a state lasted before the next one, as seen here from the child's reports. */
  readonly onDwell: (state: TxStateName, ms: number) => void;
}

/**
 * Runs one child to its kill (or, without a plan, to the end of the day). A run that meets
 * neither its kill condition nor the end of the day within `timeoutMs` is a hang: the child is
 * killed and the run fails, so a stuck agent is never counted as a power cut.
 */
function superviseRun(child: ChildProcess, s: Supervision): Promise<RunResult> {
  const { emulator, plan } = s;
  return new Promise((resolve, reject) => {
    let trigger: KillRecord['trigger'] | null = null;
    let hung = false;
    let finished: RunResult['finished'] = null;
    let stages: RunResult['stages'] = null;
    /** The state the child last entered, on the child's clock. */
    let entered: { state: TxStateName; at: number } | null = null;
    const stderr: string[] = [];
    const timers: NodeJS.Timeout[] = [];
    const eventsAtStart = s.eventCount();
    const kill = (why: KillRecord['trigger']) => {
      if (trigger !== null || hung) return;
      trigger = why;
      child.kill('SIGKILL');
    };
    const at = (ms: number, f: () => void) => timers.push(setTimeout(f, ms));
    at(s.timeoutMs, () => {
      if (trigger !== null) return;
      hung = true;
      child.kill('SIGKILL');
    });
    let aimed = false;
    const enter = (state: TxStateName, when: number) => {
      if (entered) s.onDwell(entered.state, when - entered.at);
      entered = { state, at: when };
      // Killed from here, not by the child: the child's event loop is often busy for the whole
      // stay (a card read, a commit, the next steps), so only a signal from outside lands inside it.
      if (plan?.mode === 'after' && plan.by === 'harness' && plan.state === state && !aimed) {
        aimed = true;
        at(plan.delayMs, () => kill('plan'));
      }
    };

    child.send({ type: 'world', cards: [...s.cards] } satisfies ParentMessage);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'card') s.cards.set(m.index, m.card);
    });
    (child.stderr as Readable).on('data', (b: Buffer) => {
      stderr.push(b.toString('utf8'));
      if (stderr.length > 50) stderr.shift();
    });
    const reports = createInterface({ input: child.stdio[3] as Readable });
    reports.on('line', (line) => {
      const r = JSON.parse(line) as ChildReport;
      if (r.type === 'finished') finished = r;
      if (r.type === 'ready') stages = r.stages;
      if (r.type === 'state') enter(r.state, r.at);
      // A verdict resumed at boot is an entry into its state; an idle boot is not (no close happened).
      if (r.type === 'ready' && r.state !== 'IDLE') enter(r.state, r.at);
      if (!plan) return;
      if (r.type === 'parked') kill('parked');
      if (r.type === 'killing' && plan.mode === 'after') kill('plan');
      if (r.type === 'frozen' && plan.mode === 'freeze') kill('plan');
      if (r.type === 'ready') {
        if (plan.mode === 'time') at(plan.delayMs, () => kill('plan'));
        if (plan.mode === 'sheet') {
          const poll = setInterval(() => {
            if (emulator.documents().length >= plan.n) kill('plan');
          }, 2);
          timers.push(poll);
        }
        if (plan.mode === 'event') s.setOnEvent(() => s.eventCount() - eventsAtStart >= plan.n && kill('plan'));
      }
    });

    // Decide once the child is gone and its last reports are read: a child that kills itself
    // writes `killing` just before, and the exit may be seen before that line.
    let reportsClosed = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    reports.once('close', () => {
      reportsClosed = true;
      if (exited) settle(exited.code, exited.signal);
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      if (reportsClosed) settle(code, signal);
    });
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      for (const t of timers) clearTimeout(t);
      s.setOnEvent(() => {});
      const tail = stderr.join('').slice(-4000);
      if (hung) {
        const waiting = plan ? `its kill (${describePlan(plan)})` : 'the end of the day';
        return reject(new Error(`power-loss run ${s.run} hung: no progress to ${waiting} in ${s.timeoutMs} ms (last state ${entered?.state ?? 'none'}):\n${tail}`));
      }
      if (plan && trigger) return resolve({ trigger, finished: null, stages });
      if (!plan && code === 0 && finished) return resolve({ trigger: 'finished', finished, stages });
      reject(new Error(`power-loss child ended on its own (code ${code}, signal ${signal}):\n${tail}`));
    };
  });
}
