import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createRootLogger } from '../../agent/logging.ts';
import type { Reconciliation } from '../../agent/ledger/reconcile.ts';
import { DayPlayer, type IntakeRefusal } from './day.ts';
import { classify, type OutcomeKind } from '../../agent/sim/scenarios.ts';
import { openSimCounter, type SimCounter } from '../../agent/sim/simCounter.ts';
import { vpcdSlot, type VpcdWitness } from './vpcdSlot.ts';
import { Batches } from '../../agent/ledger/batches.ts';
import { beritaAcaraHtml } from '../../agent/reports/beritaAcaraHtml.ts';
import { laporanHarian, type LaporanHarian } from '../../agent/reports/laporanHarian.ts';
import type { DayClose } from '../../agent/ledger/dayClose.ts';
import { writeLaporanHarian } from '../../agent/tools/report.ts';
import { correctionCsv } from '../../agent/reports/reconciliationReport.ts';

/** Outcome kinds of the summary: the ledger's, and an intake refused for a reason the day did not mean. */
export type DayOutcome = OutcomeKind | 'refused_other';

export interface DaySummary {
  readonly residents: number;
  readonly seed: number;
  readonly cardPath: 'sim' | 'pcsc';
  /** With cardPath pcsc: what vpcd saw of the day's cards (null on the simulated reader). */
  readonly vpcd: VpcdWitness | null;
  readonly outcomes: Partial<Record<DayOutcome, number>>;
  readonly reconciliation: Reconciliation & { readonly ok: boolean };
  readonly endOfDay: Omit<EndOfDay, 'dailyReport'>;
  /** The day's verdicts as the daily report splits them, and the data-correction referrals. */
  readonly dailyReport: EndOfDay['dailyReport'];
  readonly slips: number;
  readonly printQueueDepth: number;
  readonly outboxDepth: number;
  readonly files: readonly string[];
}

/** Plays the scripted day and returns the summary; files land in `out`. */
export async function runDay(opts: { residents: number; seed: number; out: string; cardPath?: 'sim' | 'pcsc'; progress?: (line: string) => void }): Promise<DaySummary> {
  const progress = opts.progress ?? (() => {});
  const logger = createRootLogger('info', pino.destination({ dest: join(opts.out, 'agent.log'), sync: true, mode: 0o600 }));

  progress(`enrolling ${opts.residents} virtual residents (synthetic fingerprints)…`);
  const pcsc = opts.cardPath === 'pcsc' ? await vpcdSlot() : undefined;
  const sim = await openSimCounter({ residents: opts.residents, seed: opts.seed, dataDir: opts.out, logger, cardSlot: pcsc });
  const player = new DayPlayer(sim.counter, sim.devices, sim.world, progress);
  const refusals: IntakeRefusal[] = [];
  let reconciliation: Reconciliation;
  let closed: ReturnType<typeof sim.counter.ledger.closedTransactions>;
  let printQueueDepth: number;
  let outboxDepth: number;
  let endOfDay: EndOfDay;
  let refusalKinds: DayOutcome[] = [];
  try {
    player.intakeAll(sim.played);
    refusals.push(player.refusedIntake(sim.outsider.letterNo));
    for (const p of sim.played) await player.serve(p, sim.played);
    // Somebody who already has the card comes back with the letter copy: refused at intake.
    const served = sim.played.find((p) => sim.counter.ledger.itemState('ektp', p.resident.cardUid) === 'issued');
    if (served) refusals.push(player.refusedIntake(served.resident.letterNo));
    refusalKinds = refusals.map((r) => refusalKind(sim.counter.ledger, r));

    endOfDay = closeTheDay(sim, opts.out);
    await drainPrints(sim.counter);
    await sim.counter.status.drain();
    reconciliation = sim.counter.reconcile();
    closed = sim.counter.ledger.closedTransactions();
    printQueueDepth = sim.counter.prints.depth();
    outboxDepth = sim.counter.status.outbox.depth();
  } finally {
    await sim.close();
  }

  const outcomes: Partial<Record<DayOutcome, number>> = {};
  const bump = (k: DayOutcome) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  for (const tx of closed) bump(classify(tx, sim.config.verification.fingerOrder[0]));
  for (const k of refusalKinds) bump(k);

  const sheets = sim.devices.printer.sheets;
  sheets.forEach((sheet, i) => {
    writeFileSync(join(opts.out, 'slips', `${String(i + 1).padStart(3, '0')}-${sheet.kind}.txt`), sheet.lines.join('\n') + '\n');
  });
  return {
    residents: opts.residents,
    seed: opts.seed,
    cardPath: opts.cardPath ?? 'sim',
    vpcd: pcsc?.witness() ?? null,
    outcomes,
    reconciliation,
    endOfDay: { batches: endOfDay.batches, loans: endOfDay.loans, closing: endOfDay.closing, report: endOfDay.report },
    dailyReport: endOfDay.dailyReport,
    slips: sheets.length,
    printQueueDepth,
    outboxDepth,
    files: readdirSync(opts.out).filter((f) => statSync(join(opts.out, f)).isFile()),
  };
}

/**
 * What a refused intake was, from the error code and what the ledger holds: not on the roster
 * when the ledger has no resident for the letter, a double pickup when the letter's e-KTP is
 * recorded as handed over. Anything else (another code, a ledger that changed) is `refused_other`,
 * so a refusal for the wrong reason is not counted as the one the script meant.
 */
function refusalKind(ledger: SimCounter['counter']['ledger'], r: IntakeRefusal): DayOutcome {
  if (!r.ledgerUnchanged) return 'refused_other';
  const resident = ledger.residentByLetter(r.letterNo);
  if (r.code === 'LETTER_UNKNOWN' && resident === null) return 'not_on_roster';
  if (r.code === 'ALREADY_ISSUED' && resident !== null && ledger.itemState('ektp', resident.cardUid) === 'issued') return 'double_pickup';
  return 'refused_other';
}

export interface EndOfDay {
  readonly batches: ReadonlyArray<{ readonly number: string; readonly kind: string; readonly items: number; readonly html: string }>;
  readonly loans: number;
  /** close-day: the tickets closed as not served and the physical card count against the ledger. */
  readonly closing: DayClose;
  /** laporan-harian-DATE.json and .csv (Bahasa Indonesia labels), undangan-perbaikan-data.csv. */
  readonly report: readonly string[];
  readonly dailyReport: {
    readonly results: LaporanHarian['hasilVerifikasi'];
    readonly dataCorrection: LaporanHarian['undanganPerbaikanData'];
  };
}

/**
 * Steps 15-17 of the procedure at the end of the demo day: the retained e-KTPs and the collected
 * old KTPs each in a signed batch with its berita acara (thermal and A4); one old KTP lent by the
 * Dinas to its owner and brought back (lending is from the Dinas's custody, after the handover);
 * then close-day: the officer counts the e-KTPs in the drawer (here every card the ledger says is
 * on hand), the daily report prints and is exported as JSON and CSV, with the residents to be
 * invited for data correction as their own CSV (NIK masked).
 */
function closeTheDay(sim: SimCounter, out: string): EndOfDay {
  const { counter, config } = sim;
  const batches = new Batches(counter.ledger, { numberFormat: config.beritaAcara.numberFormat });
  const parties = { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer };
  const done: EndOfDay['batches'][number][] = [];
  for (const kind of ['ektp_destruction', 'old_ktp_handover'] as const) {
    const draft = batches.create(kind, parties);
    if (!draft) continue;
    const signed = batches.sign(draft.id);
    counter.printBeritaAcara(signed);
    const html = `berita-acara-${signed.number.replaceAll('/', '-')}.html`;
    writeFileSync(join(out, html), beritaAcaraHtml(signed, config, counter.ledger.chainHead()));
    done.push({ number: signed.number, kind, items: signed.lines.length, html });
  }
  const handedOver = sim.played.find((p) => counter.ledger.itemState('old_ktp', p.resident.letterNo) === 'handed_over');
  let loans = 0;
  if (handedOver) {
    batches.lend(handedOver.resident.letterNo, '2026-12-31');
    batches.returnLoan(handedOver.resident.letterNo);
    loans += 1;
  }
  const closing = counter.closeDay({ counted: counter.ledger.itemCount('ektp', 'on_hand') });
  const laporan = laporanHarian(counter.ledger, config, closing.day);
  const base = writeLaporanHarian(out, laporan);
  writeFileSync(join(out, 'undangan-perbaikan-data.csv'), correctionCsv(counter.ledger, config, closing.day));
  return {
    batches: done,
    loans,
    closing,
    report: [`${base}.json`, `${base}.csv`, join(out, 'undangan-perbaikan-data.csv')].map((f) => f.slice(out.length + 1)),
    dailyReport: { results: laporan.hasilVerifikasi, dataCorrection: laporan.undanganPerbaikanData },
  };
}

async function drainPrints(counter: { prints: { pump(): Promise<void>; depth(): number } }): Promise<void> {
  for (let i = 0; i < 50 && counter.prints.depth() > 0; i++) await counter.prints.pump();
}
