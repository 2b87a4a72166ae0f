/**
 * The one wiring of a counter: ledger (locked, verified) → devices → matcher worker → counter (whose status
 * publisher starts with it). agent/main.ts, the simulated counter, the demo and the power-loss
 * harness all assemble through here, so every test runs main's own start-up order.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCardReader } from '../drivers/card/factory.ts';
import type { CardReader } from '../drivers/card/types.ts';
import { createDisplay } from '../drivers/display/factory.ts';
import type { Display } from '../drivers/display/types.ts';
import { createFingerprintSensor } from '../drivers/fingerprint/factory.ts';
import type { FingerprintSensor } from '../drivers/fingerprint/types.ts';
import type { Logger } from '../drivers/logger.ts';
import { createPanel } from '../drivers/panel/factory.ts';
import type { Panel } from '../drivers/panel/types.ts';
import { createPrinter } from '../drivers/printer/factory.ts';
import type { Printer } from '../drivers/printer/types.ts';
import type { Config } from './config/types.ts';
import { Counter } from './counter.ts';
import type { ClockSync } from './clockSync.ts';
import { chainHead } from './ledger/audit.ts';
import { LedgerError } from './ledger/errors.ts';
import { openAgentLedger } from './ledger/open.ts';
import { verifyLedger } from './ledger/verify.ts';
import { WorkerVerifier } from './matching/workerVerifier.ts';

export interface CounterDevices {
  readonly card: CardReader;
  readonly sensor: FingerprintSensor;
  readonly panel: Panel;
  readonly printer: Printer;
  /** Built here, opened by the counter's display presenter: a dark display never stops a start. */
  readonly display: Display;
}

export interface Closable {
  readonly name: string;
  close(): Promise<void> | void;
}

export interface AssembleOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly newTxId?: () => string;
  readonly swVersion?: string;
  /** The wall clock's NTP state (agent/clockSync.ts); absent: taken as synced. */
  readonly clock?: ClockSync;
}

export interface AssembledCounter {
  readonly counter: Counter;
  readonly devices: CounterDevices;
  /** Starts the counter (runner, print queue, publisher); stopped first by close(). */
  start(): void;
  /**
   * Closes everything opened, in reverse order, each on its own: a failing close does not keep
   * the others open. Resolves to the parts whose close failed (empty = clean).
   */
  close(onError?: (part: string, err: unknown) => void): Promise<string[]>;
}

/** The agent's version from the nearest package.json (the same from agent/ and dist/agent/). */
export function agentVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Closes what was opened, last first, emptying the list; one part failing to close never stops
 * the others. Returns the names of the parts that failed. Shared by the counter and the desk.
 */
export async function closeInReverse(opened: Closable[], onError?: (part: string, err: unknown) => void): Promise<string[]> {
  const failed: string[] = [];
  for (const part of opened.splice(0).reverse()) {
    try {
      await part.close();
    } catch (err) {
      failed.push(part.name);
      onError?.(part.name, err);
    }
  }
  return failed;
}

/**
 * Builds and opens one counter from a validated config. On failure everything already opened is
 * closed again before the error propagates. A missing real device is an error, never a quiet
 * switch to a simulator.
 */
export async function assembleCounter(opts: AssembleOptions): Promise<AssembledCounter> {
  const { config, logger } = opts;
  const opened: Closable[] = [];
  const closeAll = (onError?: (part: string, err: unknown) => void): Promise<string[]> => closeInReverse(opened, onError);

  try {
    // The ledger first: one agent per data directory (LEDGER_IN_USE) before any device is
    // touched; it must exist (made by `ektp-agent init`, never here) and its sealed chain must
    // verify before anyone is served (LEDGER_TAMPERED).
    const ledgerFile = openAgentLedger({ dataDir: config.dataDir, keyFile: config.ledger.keyFile });
    opened.push({ name: 'ledger', close: () => ledgerFile.close() });
    const verifyStarted = performance.now();
    const check = verifyLedger(ledgerFile.db, ledgerFile.key);
    logger.child({ module: 'ledger' }).info({ auditRows: check.auditRows, ms: Math.round(performance.now() - verifyStarted) }, 'ledger verified at start-up');
    if (!check.ok) {
      throw new LedgerError('LEDGER_TAMPERED', `the ledger does not verify: ${check.problems.slice(0, 3).join('; ')}${check.problems.length > 3 ? '; …' : ''}`);
    }
    // Where the running counter's re-checks start (agent/ledger/watch.ts): nothing was written since.
    const verifiedHead = chainHead(ledgerFile.db);

    const devices: CounterDevices = {
      card: await createCardReader(config.devices.cardReader, logger.child({ module: 'card' })),
      sensor: await createFingerprintSensor(config.devices.fingerprint, logger.child({ module: 'fingerprint' })),
      panel: await createPanel(config.devices.panel, logger.child({ module: 'panel' })),
      printer: await createPrinter(config.devices.printer, logger.child({ module: 'printer' })),
      display: await createDisplay(config.devices.display, logger.child({ module: 'display' })),
    };
    const named = [
      ['card reader', devices.card],
      ['fingerprint sensor', devices.sensor],
      ['panel', devices.panel],
      ['printer', devices.printer],
    ] as const;
    for (const [name, device] of named) {
      await device.open();
      opened.push({ name, close: () => device.close() });
    }

    const verifier = await WorkerVerifier.create({ fmr: config.verification.falseMatchRate, logger: logger.child({ module: 'matcher' }) });
    opened.push({ name: 'matcher worker', close: () => verifier.close() });

    const counter = new Counter({
      config,
      db: ledgerFile.db,
      chainKey: ledgerFile.key,
      verifiedHead,
      clock: opts.clock,
      ...devices,
      verifier,
      logger,
      now: opts.now ?? (() => new Date()),
      newTxId: opts.newTxId ?? randomUUID,
      swVersion: opts.swVersion ?? agentVersion(),
    });
    let started = false;
    opened.push({ name: 'counter', close: () => (started ? counter.stop() : undefined) });
    return {
      counter,
      devices,
      start() {
        counter.start();
        started = true;
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll((part, closeErr) => logger.error({ err: closeErr, part }, 'close after failed start-up failed'));
    throw err;
  }
}
