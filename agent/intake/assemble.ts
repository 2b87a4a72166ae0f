/**
 * The one wiring of an intake desk (role "intake"): panel, printer, scanner, keypad → ledger →
 * print queue → desk. The same image as a counter; no card reader, sensor or matcher. In a
 * multi-counter office the desk's ledger is the office queue (agent/office/authority.ts).
 */
import { randomUUID } from 'node:crypto';
import { createKeypad } from '../../drivers/keypad/factory.ts';
import type { Keypad } from '../../drivers/keypad/types.ts';
import type { Logger } from '../../drivers/logger.ts';
import { createPanel } from '../../drivers/panel/factory.ts';
import type { Panel } from '../../drivers/panel/types.ts';
import { createPrinter } from '../../drivers/printer/factory.ts';
import type { Printer } from '../../drivers/printer/types.ts';
import { createScanner } from '../../drivers/scanner/factory.ts';
import type { Scanner } from '../../drivers/scanner/types.ts';
import { closeInReverse, type Closable } from '../assemble.ts';
import type { Config } from '../config/types.ts';
import { Ledger } from '../ledger/ledger.ts';
import { LedgerError } from '../ledger/errors.ts';
import { openAgentLedger } from '../ledger/open.ts';
import { verifyLedger } from '../ledger/verify.ts';
import { PrintQueue } from '../printing/printQueue.ts';
import { loadTrustedKeys, verifyRoster } from '../roster/signedRoster.ts';
import { SlipBuilder } from '../transaction/slipBuilder.ts';
import { IntakeDesk } from './desk.ts';
import type { ClockSync } from '../clockSync.ts';
import { queueAuthority } from '../office/wiring.ts';
import type { QueueAuthority } from '../office/authority.ts';
import { chainHead } from '../ledger/audit.ts';
import { LedgerGuard, LedgerWatch } from '../ledger/watch.ts';
import { agentVersion } from '../assemble.ts';
import type { StatusPublisher } from '../status/publisher.ts';
import { deskStatus } from './deskStatus.ts';
import { FaultMonitor } from '../faults.ts';

export interface IntakeDevices {
  readonly panel: Panel;
  readonly printer: Printer;
  readonly scanner: Scanner;
  readonly keypad: Keypad;
}

export interface AssembledIntake {
  readonly desk: IntakeDesk;
  readonly ledger: Ledger;
  readonly prints: PrintQueue;
  readonly devices: IntakeDevices;
  /** The office queue, when this desk is its authority. */
  readonly authority: QueueAuthority | null;
  /** The desk's status topics and event outbox (the `mqtt` block; events wait without a broker). */
  readonly status: StatusPublisher;
  /** Device faults, the refused ledger and link, as on a counter: GANGGUAN, `*_fault` events, health. */
  readonly faults: FaultMonitor;
  /** Re-verifies the sealed ledger now (as the timer does); null once it stopped verifying. */
  recheckLedger(why: string, opts?: { full?: boolean }): ReturnType<LedgerGuard['check']>;
  importRoster(file: unknown): number;
  start(): void;
  close(onError?: (part: string, err: unknown) => void): Promise<string[]>;
}

export async function assembleIntake(opts: { config: Config; logger: Logger; now?: () => Date; bootId?: string; clock?: ClockSync }): Promise<AssembledIntake> {
  const { config, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const opened: Closable[] = [];
  const closeAll = (onError?: (part: string, err: unknown) => void): Promise<string[]> => closeInReverse(opened, onError);
  try {
    // As on a counter (agent/assemble.ts): the ledger first, one agent per data directory (before any
    // device is touched), a ledger made by `ektp-agent init`, its sealed chain verified before anyone is served.
    const ledgerFile = openAgentLedger({ dataDir: config.dataDir, keyFile: config.ledger.keyFile });
    opened.push({ name: 'ledger', close: () => ledgerFile.close() });
    const check = verifyLedger(ledgerFile.db, ledgerFile.key);
    if (!check.ok) {
      throw new LedgerError('LEDGER_TAMPERED', `the ledger does not verify: ${check.problems.slice(0, 3).join('; ')}${check.problems.length > 3 ? '; …' : ''}`);
    }
    const db = ledgerFile.db;
    const ledger = new Ledger(db, now, config.site.timezone, { chainKey: ledgerFile.key });
    // Where the running desk's re-checks start (agent/ledger/watch.ts): nothing was written since.
    const verifiedHead = chainHead(db);
    const devices: IntakeDevices = {
      panel: await createPanel(config.devices.panel, logger.child({ module: 'panel' })),
      printer: await createPrinter(config.devices.printer, logger.child({ module: 'printer' })),
      scanner: await createScanner(config.devices.scanner, logger),
      keypad: await createKeypad(config.devices.keypad, logger),
    };
    for (const [name, device] of Object.entries(devices)) {
      await device.open();
      opened.push({ name, close: () => device.close() });
    }
    const prints = new PrintQueue({ db, printer: devices.printer, logger, now });
    const bootId = opts.bootId ?? randomUUID();
    let printerCode: string | null = null;
    prints.on('fault', (err) => (printerCode = err.code));
    prints.on('recovered', () => (printerCode = null));
    // The counter's fault monitor, with the desk's devices: GANGGUAN while anything is at fault
    // (off only when the last one recovers), one `*_fault` event each way, health and alerts.
    let status: StatusPublisher | null = null;
    const faults = new FaultMonitor({
      scanner: devices.scanner,
      keypad: devices.keypad,
      panel: devices.panel,
      prints,
      journal: (e) => void status?.outbox.enqueue(e),
      changed: () => {
        status?.healthChanged();
        void status?.drain();
      },
      // A desk has no transaction: each event its own UUID, never a resident.
      txId: () => randomUUID(),
      now,
      logger,
    });
    // As on a counter: an edit outside the app stops the desk issuing tickets (LEDGER_TAMPERED on
    // its LEDs) and recording handbacks, and one `tamper` event goes out; latched until a restart,
    // which refuses the file.
    let desk: IntakeDesk | null = null;
    const guard = new LedgerGuard(new LedgerWatch(db, ledgerFile.key, verifiedHead), {
      intervalS: config.ledger.recheckIntervalS,
      logger: logger.child({ module: 'intake' }),
      onRefused: (code) => {
        desk?.fault(code);
        faults.fault('ledger', code);
      },
    });
    desk = new IntakeDesk({
      config,
      ledger,
      prints,
      slips: new SlipBuilder(config),
      ...devices,
      logger,
      now,
      clock: opts.clock,
      refusal: () => guard.refused,
      recheck: (why) => void guard.check(why),
    });
    const theDesk = desk;
    status = deskStatus({
      config,
      db,
      ledger,
      logger,
      bootId,
      swVersion: agentVersion(),
      state: () => theDesk.current().name,
      ledgerRefused: () => guard.refused,
      printerCode: () => printerCode,
      faults: () => faults.current(),
      caseOpen: () => devices.panel.caseOpen?.() ?? null,
    });
    const theStatus = status;
    const office = config.office;
    // The desk keeps the office queue when it is the authority; the desk works without the broker.
    const authority =
      office && office.authority === config.counter.id
        ? queueAuthority({ config: { ...config, office }, db, ledger, bootId, now, logger, refusal: () => guard.refused })
        : null;
    let started = false;
    opened.push({
      name: 'intake desk',
      close: async () => {
        if (!started) return;
        guard.stop();
        faults.stop();
        theDesk.stop();
        prints.stop();
        await authority?.stop();
        await theStatus.stop();
      },
    });
    return {
      desk: theDesk,
      ledger,
      prints,
      devices,
      authority,
      status: theStatus,
      faults,
      recheckLedger: (why, o) => guard.check(why, o),
      importRoster: (file) => ledger.importRoster(verifyRoster(file, loadTrustedKeys(config.roster.trustedKeys))),
      start() {
        faults.start();
        theDesk.start();
        guard.start();
        theStatus.start();
        // The desk keeps issuing tickets without the broker; a refused link is a fault to fix.
        authority?.onLink(
          (code) => {
            theDesk.fault(code);
            faults.fault('office_link', code);
          },
          // GANGGUAN stays while anything else is at fault (a refused ledger stays until a restart).
          () => faults.recovered('office_link'),
        );
        authority?.start();
        prints.start({ pollMs: 2000 });
        void prints.pump().catch(() => undefined);
        started = true;
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll((part, closeErr) => logger.error({ err: closeErr, part }, 'close after failed start-up failed'));
    throw err;
  }
}
