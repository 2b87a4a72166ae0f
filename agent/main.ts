/**
 * The composition root: config → logger → ledger → devices → matcher worker → counter → systemd.
 * Only this file knows which device implementations are live. Start-up is a straight sequence;
 * shutdown closes in reverse order, each close on its own, and exits non-zero if any failed.
 *
 *   node --import tsx agent/main.ts [--config FILE] [--roster FILE]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createCardReader, type CardReaderConfig } from '../drivers/card/factory.ts';
import { createFingerprintSensor } from '../drivers/fingerprint/factory.ts';
import { createPanel } from '../drivers/panel/factory.ts';
import { createPrinter } from '../drivers/printer/factory.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { Config } from './config/types.ts';
import { Counter } from './counter.ts';
import { configureDatabase } from './ledger/migrate.ts';
import { createRootLogger } from './logging.ts';
import { WorkerVerifier } from './matching/workerVerifier.ts';
import { createNotifier, startWatchdog, watchdogPeriodUs } from './systemd/notify.ts';
import { isDeviceError } from '../drivers/deviceError.ts';
import type { SimCardReader } from '../drivers/card/sim.ts';
import type { SimFingerprintSensor } from '../drivers/fingerprint/sim.ts';
import type { SimPanel } from '../drivers/panel/sim.ts';
import type { SimPrinter } from '../drivers/printer/sim.ts';

const HELP = 'https://github.com/ektp-counter-agent#troubleshooting (README.md, section Troubleshooting)';

interface Closable {
  readonly name: string;
  close(): Promise<void> | void;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, roster: { type: 'string' } },
  });

  let config;
  try {
    config = loadConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`The agent did not start: the configuration has problems.\n${err.message}\nSee ${HELP}`);
      return 2;
    }
    throw err;
  }

  // On the simulated counter at a terminal the keyboard console owns the screen: log to a file.
  const simAtTerminal = process.stdin.isTTY && Object.values(config.devices).every((d) => d.driver === 'sim');
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const root = createRootLogger(
    config.log.level,
    simAtTerminal ? pino.destination({ dest: join(config.dataDir, 'agent.log'), sync: true, mode: 0o600 }) : undefined,
  );
  if (simAtTerminal) console.error(`Simulated counter; log in ${join(config.dataDir, 'agent.log')}`);
  const log = root.child({ module: 'main' });
  const notifier = createNotifier({ logger: root });
  const opened: Closable[] = [];
  const stopAll = async (): Promise<number> => {
    let failed = 0;
    for (const part of opened.reverse()) {
      try {
        await part.close();
      } catch (err) {
        failed += 1;
        log.error({ err, part: part.name }, 'close failed');
      }
    }
    return failed === 0 ? 0 : 1;
  };

  try {
    const db = new Database(join(config.dataDir, 'ledger.sqlite'));
    configureDatabase(db);
    opened.push({ name: 'database', close: () => void db.close() });

    // Devices are built from config, then opened; a missing real device is an error, never a
    // quiet switch to a simulator.
    const card = await createCardReader(config.devices.cardReader as unknown as CardReaderConfig, root.child({ module: 'card' }));
    const sensor = await createFingerprintSensor(config.devices.fingerprint, root.child({ module: 'fingerprint' }));
    const panel = await createPanel(config.devices.panel, root.child({ module: 'panel' }));
    const printer = await createPrinter(config.devices.printer, root.child({ module: 'printer' }));
    for (const [name, device] of [['card reader', card], ['fingerprint sensor', sensor], ['panel', panel], ['printer', printer]] as const) {
      await device.open();
      opened.push({ name, close: () => device.close() });
    }
    const verifier = await WorkerVerifier.create({ fmr: config.verification.falseMatchRate, logger: root.child({ module: 'matcher' }) });
    opened.push({ name: 'matcher worker', close: () => verifier.close() });

    const counter = new Counter({
      config,
      db,
      card,
      sensor,
      panel,
      printer,
      verifier,
      logger: root,
      now: () => new Date(),
      newTxId: randomUUID,
      swVersion: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
    });
    if (values.roster) {
      const n = counter.importRoster(JSON.parse(readFileSync(values.roster, 'utf8')));
      log.info({ entries: n }, 'roster imported from the command line');
    }
    counter.start();
    opened.push({ name: 'counter', close: () => counter.stop() });
    if (Object.values(config.devices).every((d) => d.driver === 'sim')) {
      await startSimulation(counter, config, { card, sensor, panel, printer }, log);
    }

    const watchdog = startWatchdog(notifier, { periodUs: watchdogPeriodUs(), logger: root });
    opened.push({ name: 'watchdog', close: () => watchdog.stop() });
    await notifier.ready('Loket siap');
    // Driver names only: a device section may carry SAM module options or credentials.
    const drivers = Object.fromEntries(Object.entries(config.devices).map(([name, d]) => [name, d.driver]));
    log.info({ site: config.site.id, counter: config.counter.id, drivers }, 'counter ready');
  } catch (err) {
    const code = isDeviceError(err) ? err.code : null;
    log.fatal({ err, code }, 'start-up failed');
    console.error(`The agent did not start: ${(err as Error).message}${code ? ` (${code})` : ''}.\nSee ${HELP}`);
    await stopAll();
    return 1;
  }

  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      void notifier
        .stopping('Loket berhenti')
        .then(stopAll)
        .then((code) => {
          notifier.close();
          resolve(code);
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/**
 * On the simulated counter the agent brings its own virtual residents (signed virtual roster,
 * synthetic fingerprints) and, on a terminal, a keyboard console that presses the simulated
 * buttons. Without a terminal it just runs; nothing is simulated behind a real device's back.
 */
async function startSimulation(counter: Counter, config: Config, devices: Record<string, unknown>, log: { info(o: object, m: string): void }): Promise<void> {
  const { prepareVirtualDay } = await import('./demo/virtualDay.ts');
  const day = prepareVirtualDay(counter, config, 1, 20, new Date());
  log.info({ residents: day.played.length }, 'simulated counter: virtual roster ready');
  if (!process.stdin.isTTY) return;
  const { runSimConsole } = await import('./demo/console.ts');
  const { simSlot } = await import('./demo/cardSlot.ts');
  const sim = devices as { card: SimCardReader; sensor: SimFingerprintSensor; panel: SimPanel; printer: SimPrinter };
  void runSimConsole(counter, { ...sim, card: simSlot(sim.card), reader: sim.card }, day, {
    input: process.stdin,
    write: (s) => process.stderr.write(s),
  }).then(() => process.kill(process.pid, 'SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
