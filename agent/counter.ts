import { statfsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { CardReader } from '../drivers/card/types.ts';
import type { Display } from '../drivers/display/types.ts';
import type { FingerprintSensor } from '../drivers/fingerprint/types.ts';
import type { Logger } from '../drivers/logger.ts';
import type { Panel, PanelInput } from '../drivers/panel/types.ts';
import type { Printer } from '../drivers/printer/types.ts';
import type { Config } from './config/types.ts';
import { Ledger } from './ledger/ledger.ts';
import type { ChainKey } from './ledger/chainKey.ts';
import { dailyMetrics } from './ledger/metrics.ts';
import type { Ticket } from './ledger/types.ts';
import type { Verifier } from './matching/types.ts';
import { DisplayPresenter } from './display/presenter.ts';
import { PrintQueue } from './printing/printQueue.ts';
import { loadTrustedKeys, verifyRoster } from './roster/signedRoster.ts';
import { beritaAcaraSlip, dailyReportSlip } from './slips/index.ts';
import { checkRosterSite } from './roster/acceptRoster.ts';
import { closeDay, type DayClose, type DocumentsAtClose } from './ledger/dayClose.ts';
import { dailyReportData } from './reports/dailyReportData.ts';
import type { Batch } from './ledger/batches.ts';
import type { DeviceHealth, DeviceInfo } from './status/types.ts';
import { StatusPublisher } from './status/publisher.ts';
import { SlipBuilder, slipSite } from './transaction/slipBuilder.ts';
import { TransactionRunner } from './transaction/runner.ts';
import { isCodedError } from '../drivers/deviceError.ts';
import { CounterError } from './errors.ts';
import { issueTicket, type OldKtpAtIntake } from './intake/issueTicket.ts';
import { officeQueueClient } from './office/wiring.ts';
import type { OfficeQueueClient } from './office/queueClient.ts';
import { FaultMonitor } from './faults.ts';
import type { ClockSync } from './clockSync.ts';
import { GENESIS_HASH, type ChainHead } from './ledger/audit.ts';
import { LedgerError, type LedgerErrorCode } from './ledger/errors.ts';
import { LedgerGuard, LedgerWatch, type LedgerRecheck } from './ledger/watch.ts';

function diskFreePct(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Math.round((s.bavail / s.blocks) * 1000) / 10;
  } catch {
    return null;
  }
}

export interface CounterParts {
  readonly config: Config;
  readonly db: Database;
  readonly card: CardReader;
  readonly sensor: FingerprintSensor;
  readonly panel: Panel;
  readonly printer: Printer;
  /** The operator display; opened and redrawn by the DisplayPresenter, never required to start. */
  readonly display: Display;
  readonly verifier: Verifier;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly newTxId: () => string;
  readonly swVersion: string;
  readonly bootId?: string;
  /** The device's ledger chain key (agent/ledger/chainKey.ts); absent only on an in-memory test ledger. */
  readonly chainKey?: ChainKey | null;
  /** NTP state of the wall clock (agent/clockSync.ts); absent: taken as synced (tests, demo). */
  readonly clock?: ClockSync;
  /** Where the start-up verification of the chain ended (assemble.ts); absent: the first re-check walks it all. */
  readonly verifiedHead?: ChainHead;
}

/**
 * One counter: the ledger, the print queue, the status publisher and the transaction runner
 * over already-constructed devices. agent/main.ts builds the devices from config; the demo and
 * the tests pass simulators. Intake (the queue desk) and the panel's long-press commands live
 * here, outside the transaction state machine.
 */
export class Counter {
  readonly ledger: Ledger;
  readonly prints: PrintQueue;
  readonly status: StatusPublisher;
  readonly runner: TransactionRunner;
  /** A counter of a multi-counter office: the queue is the intake desk's (agent/office/). */
  readonly office: OfficeQueueClient | null;
  readonly faults: FaultMonitor;
  readonly screen: DisplayPresenter;
  /** Re-verifies the sealed ledger while running; latched once it stops verifying (watch.ts). */
  private readonly ledgerGuard: LedgerGuard;
  private readonly slips: SlipBuilder;
  private readonly log: Logger;
  private lastPrinterCode: string | null = null;
  private readonly onPanel = (input: PanelInput) => this.onCommand(input);
  // Whoever had the box open had the SD card in reach: verify all of it, whatever data_version says.
  private readonly onCase = (open: boolean) => void (open ? undefined : this.recheckLedger('case_closed', { full: true }));

  constructor(private readonly parts: CounterParts) {
    const { config, db, logger, now } = parts;
    this.log = logger.child({ module: 'counter' });
    this.ledger = new Ledger(db, now, config.site.timezone, { chainKey: parts.chainKey ?? null });
    this.slips = new SlipBuilder(config);
    this.prints = new PrintQueue({ db, printer: parts.printer, logger, now });
    this.status = new StatusPublisher({
      config: config.mqtt,
      site: config.site.id,
      device: config.counter.id,
      db,
      logger,
      info: () => this.info(),
      health: () => this.health(),
      metrics: () => dailyMetrics(this.ledger),
      bootId: parts.bootId,
    });
    const office = config.office;
    this.office =
      office && config.role === 'counter'
        ? officeQueueClient({ config: { ...config, office }, db, ledger: this.ledger, bootId: this.status.bootId, now, logger })
        : null;
    this.runner = new TransactionRunner({
      office: this.office ?? undefined,
      config,
      ledger: this.ledger,
      card: parts.card,
      sensor: parts.sensor,
      panel: parts.panel,
      verifier: parts.verifier,
      prints: this.prints,
      journal: this.status.outbox,
      status: {
        nowServing: (n) => this.status.nowServing(n),
        stateChanged: () => {
          this.status.healthChanged();
          this.status.metricsChanged();
        },
        eventsQueued: () => void this.status.drain(),
      },
      slips: this.slips,
      logger,
      now,
      newTxId: parts.newTxId,
      faultActive: () => this.faults.active(),
      clockUnsynced: () => this.parts.clock?.synced() === false,
      refusal: () => this.refusal(),
    });
    this.screen = new DisplayPresenter(
      parts.display,
      { current: () => this.runner.current(), waiting: () => this.ledger.waitingCount(), maxAttempts: config.verification.maxAttempts },
      logger.child({ module: 'display' }),
    );
    this.runner.on('state', () => this.screen.onState());
    this.runner.on('notice', (code) => this.screen.onNotice(code));
    this.prints.on('fault', (err) => {
      this.lastPrinterCode = err.code;
      this.log.error({ code: err.code }, 'printer fault; slips stay queued');
    });
    this.prints.on('recovered', () => {
      this.lastPrinterCode = null;
    });
    this.faults = new FaultMonitor({
      card: parts.card,
      sensor: parts.sensor,
      panel: parts.panel,
      prints: this.prints,
      journal: (e) => void this.status.outbox.enqueue(e),
      changed: () => {
        this.status.healthChanged();
        void this.status.drain();
        // The operator's display names a device at fault (reader, sensor, panel or printer).
        const code = [...this.faults.current().values()][0];
        if (code === undefined) this.screen.onRecovered();
        else this.screen.onFault(code);
      },
      txId: () => {
        const s = this.runner.current();
        return 'tx' in s ? s.tx.id : parts.newTxId();
      },
      now,
      logger,
    });
    this.ledgerGuard = new LedgerGuard(new LedgerWatch(db, parts.chainKey ?? null, parts.verifiedHead ?? { id: 0, hash: GENESIS_HASH }), {
      intervalS: config.ledger.recheckIntervalS,
      logger: this.log,
      onRefused: (code) => this.faults.fault('ledger', code),
    });
  }

  start(): void {
    this.faults.start();
    this.ledgerGuard.start();
    this.status.start();
    this.parts.panel.on('input', this.onPanel);
    this.parts.panel.on('case', this.onCase);
    // Before the runner: claims a crash left pending are abandoned before any new one is made.
    this.office?.start();
    this.runner.start();
    this.screen.redraw();
    this.prints.start({ pollMs: 2000 });
    void this.prints.pump().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.ledgerGuard.stop();
    this.parts.panel.off('input', this.onPanel);
    this.parts.panel.off('case', this.onCase);
    await this.runner.stop();
    await this.office?.stop();
    this.prints.stop();
    this.faults.stop();
    await this.screen.close().catch((err: unknown) => this.log.warn({ err }, 'display did not close cleanly'));
    await this.status.stop();
  }

  /** Imports a signed delivery roster; a forged or altered file changes nothing. */
  importRoster(file: unknown): number {
    const verified = checkRosterSite(verifyRoster(file, loadTrustedKeys(this.parts.config.roster.trustedKeys)), this.parts.config.site.id);
    // In a multi-counter office the e-KTPs are in the card store at the intake desk.
    const n = this.ledger.importRoster(verified, { cardStore: this.office === null });
    this.log.info({ batchId: verified.payload.batchId, entries: n }, 'roster imported');
    return n;
  }

  /**
   * The intake desk: old KTP and summons letter taken, queue ticket printed. The ticket's print
   * job commits with the intake, so a power cut cannot leave a queued resident without a ticket.
   */
  intake(letterNo: string, oldKtp: OldKtpAtIntake = 'held'): Ticket {
    const refused = this.refusal();
    if (refused === 'CASE_OPENED') throw new CounterError('CASE_OPENED', 'the case is open: no new residents until it is shut');
    if (refused) throw new LedgerError(refused, 'the ledger no longer verifies: no new residents until a technician has checked it');
    const synced = this.parts.clock?.synced() ?? true;
    if (synced === false) this.log.warn({ code: 'CLOCK_NOT_SYNCED' }, 'queue number issued before the clock is synced; numbering continues');
    const ticket = issueTicket({ ledger: this.ledger, prints: this.prints, slips: this.slips }, letterNo, this.parts.config.counter.queuePrefix, oldKtp, { synced });
    this.log.info({ ticket: ticket.number }, 'intake: queue ticket issued');
    this.status.metricsChanged();
    // "Menunggu: N orang" on the idle screen.
    if (this.runner.current().name === 'IDLE') this.screen.redraw();
    void this.prints.pump().catch(() => undefined);
    return ticket;
  }

  private onCommand(input: PanelInput): void {
    if (input.kind !== 'command') return;
    try {
      if (input.command === 'REPRINT_LAST') this.prints.reprintLast();
      if (input.command === 'DAILY_REPORT') this.printDailyReport();
      void this.prints.pump().catch(() => undefined);
    } catch (err) {
      this.log.error({ err, code: isCodedError(err) ? err.code : null }, 'panel command failed');
    }
  }

  printDailyReport(): void {
    // The report carries the chain head as its seal: never seal a ledger that no longer verifies
    // without saying so first.
    this.recheckLedger('daily_report');
    this.prints.enqueue(dailyReportSlip(dailyReportData(this.ledger, this.parts.config, this.prints.reprintCount()), this.parts.config.devices.printer.columns), { txId: null });
  }

  /**
   * End of the service day: waiting tickets close as not served (documents returned or kept, per
   * `dayClose.documents`), the officer's count of e-KTPs on hand is recorded, and the daily report
   * prints with SELISIH when the count differs. Intake stays closed until the next day.
   */
  closeDay(input: { counted: number; documents?: DocumentsAtClose }): DayClose {
    // Its custody moves would make an edited item verify again (as `ektp-agent close-day` refuses).
    this.recheckLedger('close_day');
    const refused = this.ledgerGuard.refused;
    if (refused) throw new LedgerError(refused, 'the ledger no longer verifies: the day is not closed, nothing recorded');
    const result = closeDay(this.ledger, {
      counted: input.counted,
      documents: input.documents ?? this.parts.config.dayClose.documents,
      operator: this.parts.config.counter.operatorId,
    });
    this.log.info({ day: result.day, notServed: result.tickets.length, documents: result.documents, difference: result.difference }, 'day closed');
    this.status.metricsChanged();
    this.printDailyReport();
    void this.prints.pump().catch(() => undefined);
    return result;
  }

  /** Prints the berita acara of a batch on the thermal printer (the A4 one comes from `batch html`). */
  printBeritaAcara(batch: Batch): void {
    this.recheckLedger('berita_acara');
    if (batch.kind === 'old_ktp_destruction') {
      // The thermal layouts cover the two handovers; the destruction record is filed on A4.
      return;
    }
    this.prints.enqueue(
      beritaAcaraSlip(
        {
          type: batch.kind === 'ektp_destruction' ? 'pemusnahan' : 'ktp_lama',
          number: batch.number,
          at: batch.signedAt ?? batch.createdAt,
          site: slipSite(this.parts.config),
          pihakPertama: batch.pihakPertama,
          pihakKedua: batch.pihakKedua,
          items: batch.lines.map((l) => ({ nik: l.nik ?? '', name: l.name ?? '(dihapus)', reason: l.reason })),
          ledgerSeal: this.ledger.chainHead(),
        },
        this.parts.config.devices.printer.columns,
      ),
      { txId: null },
    );
  }

  reconcile() {
    return this.ledger.reconcile();
  }

  /**
   * Re-verifies the sealed ledger under the running counter (agent/ledger/watch.ts): on the timer,
   * before a report or berita acara prints its seal, and on demand. When it no longer verifies the
   * counter stops taking new residents (PANGGIL and intake refused with LEDGER_TAMPERED), GANGGUAN
   * blinks, the display says so, `status.alerts` carries `ledger_tampered` and one `tamper` event
   * goes out. That stays until a restart, which refuses to start on the same ledger.
   */
  recheckLedger(why: string, opts: { full?: boolean } = {}): LedgerRecheck | null {
    return this.ledgerGuard.check(why, opts);
  }

  /** Why no new resident may be served now (a ledger that stopped verifying, the case open), or null. */
  private refusal(): LedgerErrorCode | 'CASE_OPENED' | null {
    return this.ledgerGuard.refused ?? (this.parts.panel.caseOpen?.() === true ? 'CASE_OPENED' : null);
  }

  private info(): DeviceInfo {
    const m = this.parts.verifier.describe();
    const d = this.parts.config.devices;
    return {
      swVersion: this.parts.swVersion,
      gitHash: null,
      hwModel: null,
      readerModel: d.cardReader.driver,
      samPresent: this.parts.card.health().sam === 'ok',
      fpSensorModel: this.parts.sensor.health().model ?? d.fingerprint.driver,
      matcher: { name: m.matcher, version: m.version, threshold: m.threshold, fmr: m.fmr },
      printer: { model: d.printer.driver, paperMm: d.printer.columns === 48 ? 80 : 58, columns: d.printer.columns },
      configHash: null,
      driverMode: Object.values(d).every((x) => x.driver === 'sim') ? 'sim' : 'real',
    };
  }

  private health(): DeviceHealth {
    const reader = this.parts.card.health();
    const sensor = this.parts.sensor.health();
    const code = this.lastPrinterCode;
    return {
      reader: { status: reader.reader === 'ok' ? 'ok' : reader.reader === 'absent' ? 'absent' : 'error', code: reader.lastError ?? null },
      sam: reader.sam === 'error' ? 'unknown' : reader.sam,
      sensor: { status: sensor.state, code: sensor.lastError ?? null },
      // The print queue reports faults as they happen; between jobs nothing is known to be wrong.
      printer: {
        online: code === null || code === 'PAPER_OUT' || code === 'COVER_OPEN',
        paper: code === 'PAPER_OUT' ? 'out' : code === null ? 'ok' : 'unknown',
        coverOpen: code === 'COVER_OPEN' ? true : code === null ? false : null,
        code,
      },
      clockSynced: this.parts.clock ? this.parts.clock.synced() : null,
      diskFreePct: diskFreePct(this.parts.config.dataDir),
      cpuTempC: null,
      counterState: this.runner.current().name,
      panel: this.faults.current().has('panel') ? { status: 'error', code: this.faults.current().get('panel') ?? null } : { status: 'ok', code: null },
      ledger: this.ledgerGuard.refused ? { status: 'tampered', code: this.ledgerGuard.refused } : { status: 'ok', code: null },
      caseOpen: this.parts.panel.caseOpen?.() ?? null,
      // base64url, not hex: a hex run of 16 digits would trip the NIK guard on the way out.
      ledgerHead: ((h) => ({ id: h.id, mac: Buffer.from(h.hash, 'hex').toString('base64url') }))(this.ledger.chainHead()),
    };
  }
}
