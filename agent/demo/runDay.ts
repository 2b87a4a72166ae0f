import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createRootLogger } from '../logging.ts';
import type { Reconciliation } from '../ledger/reconcile.ts';
import { DayPlayer, type IntakeRefusal } from './day.ts';
import { classify, type OutcomeKind } from './scenarios.ts';
import { openSimCounter } from './simCounter.ts';

export interface DaySummary {
  readonly residents: number;
  readonly seed: number;
  readonly outcomes: Partial<Record<OutcomeKind, number>>;
  readonly reconciliation: Reconciliation & { readonly ok: boolean };
  readonly slips: number;
  readonly printQueueDepth: number;
  readonly outboxDepth: number;
  readonly files: readonly string[];
}

/** Plays the scripted day and returns the summary; files land in `out`. */
export async function runDay(opts: { residents: number; seed: number; out: string; progress?: (line: string) => void }): Promise<DaySummary> {
  const progress = opts.progress ?? (() => {});
  const logger = createRootLogger('info', pino.destination({ dest: join(opts.out, 'agent.log'), sync: true, mode: 0o600 }));

  progress(`enrolling ${opts.residents} virtual residents (synthetic fingerprints)…`);
  const sim = await openSimCounter({ residents: opts.residents, seed: opts.seed, dataDir: opts.out, logger });
  const player = new DayPlayer(sim.counter, sim.devices, sim.world, progress);
  const refusals: IntakeRefusal[] = [];
  let reconciliation: Reconciliation;
  let closed: ReturnType<typeof sim.counter.ledger.closedTransactions>;
  let printQueueDepth: number;
  let outboxDepth: number;
  try {
    player.intakeAll(sim.played);
    refusals.push(player.refusedIntake(sim.outsider.letterNo, 'not_on_roster'));
    for (const p of sim.played) await player.serve(p, sim.played);
    // Somebody who already has the card comes back with the letter copy: refused at intake.
    const served = sim.played.find((p) => sim.counter.ledger.itemState('ektp', p.resident.cardUid) === 'issued');
    if (served) refusals.push(player.refusedIntake(served.resident.letterNo, 'double_pickup'));

    sim.counter.printDailyReport();
    await drainPrints(sim.counter);
    await sim.counter.status.drain();
    reconciliation = sim.counter.reconcile();
    closed = sim.counter.ledger.closedTransactions();
    printQueueDepth = sim.counter.prints.depth();
    outboxDepth = sim.counter.status.outbox.depth();
  } finally {
    await sim.close();
  }

  const outcomes: Partial<Record<OutcomeKind, number>> = {};
  const bump = (k: OutcomeKind) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  for (const tx of closed) bump(classify(tx, sim.config.verification.fingerOrder[0]));
  for (const r of refusals) bump(r.kind);

  const sheets = sim.devices.printer.sheets;
  sheets.forEach((sheet, i) => {
    writeFileSync(join(opts.out, 'slips', `${String(i + 1).padStart(3, '0')}-${sheet.kind}.txt`), sheet.lines.join('\n') + '\n');
  });
  return {
    residents: opts.residents,
    seed: opts.seed,
    outcomes,
    reconciliation,
    slips: sheets.length,
    printQueueDepth,
    outboxDepth,
    files: readdirSync(opts.out).filter((f) => statSync(join(opts.out, f)).isFile()),
  };
}

async function drainPrints(counter: { prints: { pump(): Promise<void>; depth(): number } }): Promise<void> {
  for (let i = 0; i < 50 && counter.prints.depth() > 0; i++) await counter.prints.pump();
}
