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
 * at seeded random points and at least once in every transaction state, restarts it on the same
 * SQLite file each time, lets the last run finish the day, and then audits what the printer
 * printed, what the broker delivered and what the ledger says, against each other.
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
  /** A run that meets no kill condition within this time is killed anyway (counted as `timeout`). */
  readonly runTimeoutMs?: number;
}

export type KillPlan =
  /** Stop dead on entering the state, right after its commit; kill. */
  | { readonly mode: 'freeze'; readonly state: TxStateName }
  /** Kill a random delay after the child reports entering the state (it keeps running). */
  | { readonly mode: 'after'; readonly state: TxStateName; readonly delayMs: number }
  /** Kill a random delay after the child is up. */
  | { readonly mode: 'time'; readonly delayMs: number }
  /** Kill the moment the n-th sheet of this run is cut (before the agent marks it printed). */
  | { readonly mode: 'sheet'; readonly n: number }
  /** Kill the moment the broker delivers the n-th event of this run (before the agent's ack). */
  | { readonly mode: 'event'; readonly n: number };

export interface KillRecord {
  readonly run: number;
  readonly plan: KillPlan;
  /** What ended the run: the plan's condition, `parked` (nothing left to do) or `timeout`. */
  readonly trigger: 'plan' | 'parked' | 'timeout';
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
  readonly reconciles: boolean;
  /** reconcile(db).problems and verifyLedger(db).problems of the final ledger. */
  readonly reconcileProblems: readonly string[];
  readonly verifyProblems: readonly string[];
  readonly statesKilled: Readonly<Record<TxStateName, number>>;
  readonly killModes: Readonly<Record<string, number>>;
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
  cancelled: ['CALLED', 'READING_CARD', 'DATA_CHECK'],
  card_unreadable: ['CALLED', 'READING_CARD', 'UNVERIFIED'],
  no_show: ['CALLED'],
};
const PRE_VERDICT: ReadonlySet<TxStateName> = new Set(['CALLED', 'READING_CARD', 'DATA_CHECK', 'DISPUTE_REVIEW', 'VERIFY_FINGER']);
/** The first five residents of the rotation pass every transaction state, UNVERIFIED included (scenarios.ts). */
export const MIN_RESIDENTS = 5;
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

/**
 * Chooses the next kill: first every uncovered state the head of the queue can still reach
 * (frozen right after its commit), then a mix of random kinds. The mix spends residents (kills
 * after a close) in proportion to the kills left, so the day lasts until the last kill.
 */
function planKill(rng: () => number, view: LedgerView, statesKilled: Record<TxStateName, number>, killsLeft: number): KillPlan {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const uncovered = TX_STATES.filter((s) => statesKilled[s] === 0);
  const work = view.head !== null || view.openState !== null;
  if (!work) return { mode: 'time', delayMs: Math.floor(rng() * 500) };
  const reach: TxStateName[] = ['IDLE', ...(view.head !== null ? REACH[scenarioFor(view.head)] : [])];
  const aim = uncovered.filter((s) => reach.includes(s));
  // Kills before the verdict leave the head in the queue, so take those first; a kill in a verdict
  // state or after the close moves the queue on, and IDLE can be had from any resident, so last.
  const keep = aim.filter((s) => PRE_VERDICT.has(s));
  if (keep.length > 0) return { mode: 'freeze', state: pick(keep) };
  const verdict = aim.filter((s) => s !== 'IDLE');
  if (verdict.length > 0) return { mode: 'freeze', state: pick(verdict) };
  // Only IDLE is left, or the head cannot reach what is: let it close so the queue moves on.
  if (uncovered.length > 0) return { mode: 'freeze', state: 'IDLE' };

  // A spending kill may close more than one resident (a timed kill lets the day run on), so spend
  // at two thirds of the even rate, and keep the last resident for the kills that are left.
  const spend = view.remaining <= 1 && killsLeft > 1 ? 0 : Math.min(0.9, (view.remaining - 1) / (1.5 * Math.max(1, killsLeft)));
  const before = reach.filter((s) => PRE_VERDICT.has(s));
  if ((spend === 0 || rng() >= spend) && before.length > 0) {
    return rng() < 0.5 ? { mode: 'freeze', state: pick(before) } : { mode: 'after', state: pick(before), delayMs: Math.floor(rng() * 300) };
  }
  const after = reach.filter((s) => !PRE_VERDICT.has(s));
  const kind = Math.floor(rng() * 5);
  if (kind === 0) return { mode: 'time', delayMs: Math.floor(rng() * 6000) };
  if (kind === 1) return { mode: 'sheet', n: 1 + Math.floor(rng() * 3) };
  if (kind === 2) return { mode: 'event', n: 1 + Math.floor(rng() * 2) };
  if (kind === 3) return { mode: 'freeze', state: pick(after) };
  return { mode: 'after', state: pick(reach), delayMs: Math.floor(rng() * 400) };
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
      logLevel: 'info',
    };
    const child = fork(CHILD, [JSON.stringify(options)], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'ipc'],
    });
    try {
      return await superviseRun(child, emulator, plan, o.runTimeoutMs ?? 180_000, cards, (f) => (onEvent = f), () => received.length);
    } finally {
      emulator.documents().forEach((doc, i) => sheets.push(sheetFromDoc(doc, run, i)));
      await emulator.close();
    }
  };

  try {
    for (let run = 0; ; run++) {
      const view = readLedger(ledgerPath, letters);
      const uncovered = TX_STATES.filter((s) => statesKilled[s] === 0);
      const last = kills.length >= o.kills && uncovered.length === 0;
      if (!last && view.head === null && view.openState === null && uncovered.some((s) => s !== 'IDLE')) {
        throw new Error(`power-loss: the day ran out before a kill in ${uncovered.join(', ')}; use more residents`);
      }
      const plan = last ? null : planKill(rng, view, statesKilled, o.kills - kills.length);
      const t0 = Date.now();
      const result = await runOnce(run, plan);
      if (plan === null) {
        finished = result.finished;
        progress(`run ${run}: finished the day in ${Date.now() - t0} ms`);
        break;
      }
      const state = readLedger(ledgerPath, letters).openState ?? 'IDLE';
      statesKilled[state] += 1;
      kills.push({ run, plan, trigger: result.trigger as KillRecord['trigger'], state, ms: Date.now() - t0 });
      if (result.stages) bootMs.push(result.stages.started ?? 0);
      progress(`run ${run}: kill ${kills.length} (${describePlan(plan)}, ${result.trigger}) in ${state} after ${Date.now() - t0} ms; boot ${JSON.stringify(result.stages)}`);
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
      const killModes: Record<string, number> = {};
      for (const k of kills) {
        const m = k.trigger === 'plan' ? k.plan.mode : k.trigger;
        killModes[m] = (killModes[m] ?? 0) + 1;
      }
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
        reconciles: rec.ok && ver.ok,
        reconcileProblems: rec.problems,
        verifyProblems: ver.problems,
        statesKilled,
        killModes,
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
      return `${p.delayMs} ms after ${p.state}`;
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

/** Runs one child to its kill (or, without a plan, to the end of the day). */
function superviseRun(
  child: ChildProcess,
  emulator: PrinterEmulator,
  plan: KillPlan | null,
  timeoutMs: number,
  cards: Map<number, CardData>,
  setOnEvent: (f: () => void) => void,
  eventCount: () => number,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let trigger: RunResult['trigger'] | null = null;
    let finished: RunResult['finished'] = null;
    let stages: RunResult['stages'] = null;
    const stderr: string[] = [];
    const timers: NodeJS.Timeout[] = [];
    const eventsAtStart = eventCount();
    const kill = (why: KillRecord['trigger']) => {
      if (trigger !== null) return;
      trigger = why;
      child.kill('SIGKILL');
    };
    const at = (ms: number, f: () => void) => timers.push(setTimeout(f, ms));
    at(timeoutMs, () => {
      if (plan) kill('timeout');
      else child.kill('SIGKILL');
    });

    child.send({ type: 'world', cards: [...cards] } satisfies ParentMessage);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'card') cards.set(m.index, m.card);
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
      if (!plan) return;
      if (r.type === 'parked') kill('parked');
      if (r.type === 'frozen' && plan.mode === 'freeze') kill('plan');
      if (r.type === 'state' && plan.mode === 'after' && r.state === plan.state) at(plan.delayMs, () => kill('plan'));
      if (r.type === 'ready') {
        if (plan.mode === 'time') at(plan.delayMs, () => kill('plan'));
        if (plan.mode === 'sheet') {
          const poll = setInterval(() => {
            if (emulator.documents().length >= plan.n) kill('plan');
          }, 2);
          timers.push(poll);
        }
        if (plan.mode === 'event') setOnEvent(() => eventCount() - eventsAtStart >= plan.n && kill('plan'));
      }
    });

    child.on('exit', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      setOnEvent(() => {});
      if (plan && trigger) return resolve({ trigger, finished: null, stages });
      if (!plan && code === 0 && finished) return resolve({ trigger: 'finished', finished, stages });
      reject(new Error(`power-loss child ended on its own (code ${code}, signal ${signal}):\n${stderr.join('').slice(-4000)}`));
    });
  });
}
