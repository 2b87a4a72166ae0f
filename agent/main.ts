/**
 * The composition root: config → logger → the counter (agent/assemble.ts) → systemd.
 * Only this file knows which device implementations are live. Start-up is a straight sequence;
 * shutdown closes in reverse order, each close on its own, and exits non-zero if any failed.
 *
 *   node --import tsx agent/main.ts [--config FILE] [--roster FILE]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { SimCardReader } from '../drivers/card/sim.ts';
import { isCodedError } from '../drivers/deviceError.ts';
import { SimFingerprintSensor } from '../drivers/fingerprint/sim.ts';
import type { Logger } from '../drivers/logger.ts';
import { SimPanel } from '../drivers/panel/sim.ts';
import { SimPrinter } from '../drivers/printer/sim.ts';
import { assembleCounter, type AssembledCounter, type Closable } from './assemble.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { Config } from './config/types.ts';
import { referencedFileProblems } from './config/files.ts';
import { LedgerError } from './ledger/errors.ts';
import { EXIT, exitCodeFor } from './tools/exitCodes.ts';
import { createPanel } from '../drivers/panel/factory.ts';
import { ClockWatch } from './clockSync.ts';
import { createRootLogger } from './logging.ts';
import { createNotifier } from './systemd/notify.ts';
import { startWatchdog, watchdogPeriodUs } from './systemd/watchdog.ts';

/** How long the refusal stays lit before the exit; systemd's RestartSec adds to it for retryable codes. */
const REFUSAL_SHOW_MS = Number(process.env.EKTP_REFUSAL_SHOW_MS ?? 10_000);

const HELP = 'https://github.com/ektp-counter-agent#troubleshooting (README.md, section Troubleshooting)';

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, roster: { type: 'string' } },
  });
  // Ledger, logs, lock file: readable by the service user only (systemd's UMask says the same).
  process.umask(0o077);

  let config;
  try {
    config = loadConfig(values.config);
    const files = referencedFileProblems(config);
    if (files.length > 0) throw new ConfigError(values.config ?? '(defaults)', files);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`The agent did not start: the configuration has problems.\n${err.message}\nSee ${HELP}`);
      return 2;
    }
    throw err;
  }

  // On the simulated counter at a terminal the keyboard console owns the screen: log to a file.
  const simAtTerminal = process.stdin.isTTY && Object.values(config.devices).every((d) => d.driver === 'sim');
  // The data directory is made by `ektp-agent init`; only the console's log file needs it here.
  if (simAtTerminal) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const root = createRootLogger(
    config.log.level,
    simAtTerminal ? pino.destination({ dest: join(config.dataDir, 'agent.log'), sync: true, mode: 0o600 }) : undefined,
  );
  if (simAtTerminal) console.error(`Simulated counter; log in ${join(config.dataDir, 'agent.log')}`);
  const log = root.child({ module: 'main' });
  const notifier = createNotifier({ logger: root });
  let assembled: AssembledCounter | null = null;
  const opened: Closable[] = [];
  const stopAll = async (): Promise<number> => {
    let failed = 0;
    for (const part of opened.splice(0).reverse()) {
      try {
        await part.close();
      } catch (err) {
        failed += 1;
        log.error({ err, part: part.name }, 'close failed');
      }
    }
    if (assembled) failed += (await assembled.close((part, err) => log.error({ err, part }, 'close failed'))).length;
    return failed === 0 ? 0 : 1;
  };

  try {
    // Business day and queue numbers follow an NTP-synced clock; before sync the counter warns.
    const clock = new ClockWatch({ logger: root });
    await clock.start();
    opened.push({ name: 'clock watch', close: () => clock.stop() });
    if (config.role === 'intake') {
      // The intake desk: same image, its own devices and duties (agent/intake/).
      const { assembleIntake } = await import('./intake/assemble.ts');
      const intake = await assembleIntake({ config, logger: root, clock });
      opened.push({ name: 'intake desk', close: async () => void (await intake.close((part, err) => log.error({ err, part }, 'close failed'))) });
      if (values.roster) log.info({ entries: intake.importRoster(JSON.parse(readFileSync(values.roster, 'utf8'))) }, 'roster imported from the command line');
      intake.start();
      const watchdog = startWatchdog(notifier, { periodUs: watchdogPeriodUs(), logger: root });
      opened.push({ name: 'watchdog', close: () => watchdog.stop() });
      await notifier.ready('Meja pendaftaran siap');
      log.info({ site: config.site.id, desk: config.counter.id, scanner: config.devices.scanner.driver, keypad: config.devices.keypad.driver }, 'intake desk ready');
      return await stopOnSignal();
    }
    assembled = await assembleCounter({ config, logger: root, clock });
    const { counter } = assembled;
    if (values.roster) {
      const n = counter.importRoster(JSON.parse(readFileSync(values.roster, 'utf8')));
      log.info({ entries: n }, 'roster imported from the command line');
    }
    if (config.hall.enabled) {
      const { startHall } = await import('./hall/startHall.ts');
      const hall = await startHall(config, root.child({ module: 'hall' }));
      opened.push({ name: 'hall display', close: () => hall.close() });
    }
    if (Object.values(config.devices).every((d) => d.driver === 'sim')) {
      await startSimulation(assembled, config, log);
    } else {
      assembled.start();
    }

    const watchdog = startWatchdog(notifier, { periodUs: watchdogPeriodUs(), logger: root });
    opened.push({ name: 'watchdog', close: () => watchdog.stop() });
    await notifier.ready('Loket siap');
    // Driver names only: a device section may carry SAM module options or credentials.
    const drivers = Object.fromEntries(Object.entries(config.devices).map(([name, d]) => [name, d.driver]));
    log.info({ site: config.site.id, counter: config.counter.id, drivers }, 'counter ready');
  } catch (err) {
    const code = isCodedError(err) ? err.code : null;
    log.fatal({ err, code }, 'start-up failed');
    console.error(`The agent did not start: ${(err as Error).message}${code ? ` (${code})` : ''}.\nSee ${HELP}`);
    await stopAll();
    if (err instanceof LedgerError) await showRefusal(config, root, err.code);
    return err instanceof LedgerError ? exitCodeFor(err.code) : EXIT.FAILED;
  }

  return stopOnSignal();

  function stopOnSignal(): Promise<number> {
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
}

/**
 * A ledger the agent refuses (tampered, unreadable, missing, in use…) must show at the counter,
 * not only in the journal: GANGGUAN fast and GAGAL on, for a moment long enough to see, before the
 * coded exit status (systemd does not restart on the ones a restart cannot fix).
 */
async function showRefusal(config: Config, root: ReturnType<typeof createRootLogger>, code: string): Promise<void> {
  try {
    const panel = await createPanel(config.devices.panel, root.child({ module: 'panel' }));
    await panel.open();
    panel.setLed('GANGGUAN', 'fast');
    panel.setLed('GAGAL', 'on');
    root.child({ module: 'main' }).error({ code }, 'refusing to serve: panel shows GANGGUAN');
    await new Promise((r) => setTimeout(r, REFUSAL_SHOW_MS));
    await panel.close();
  } catch (err) {
    root.child({ module: 'main' }).error({ err }, 'could not show the refusal on the panel');
  }
}

/**
 * On the simulated counter the agent brings its own virtual residents (signed virtual roster,
 * synthetic fingerprints) and, on a terminal, a keyboard console that presses the simulated
 * buttons. Without a terminal it just runs; nothing is simulated behind a real device's back.
 */
async function startSimulation(assembled: AssembledCounter, config: Config, log: Logger): Promise<void> {
  const { counter, devices } = assembled;
  const { importVirtualRoster, prepareVirtualDay } = await import('./sim/virtualDay.ts');
  if (!process.stdin.isTTY) {
    // Nobody plays the residents' side: the roster is enough, their cards are not made.
    const residents = importVirtualRoster(counter, config, 1, 20, new Date());
    log.info({ residents: residents.length }, 'simulated counter: virtual roster ready');
    assembled.start();
    return;
  }
  const day = prepareVirtualDay(counter, config, 1, 20, new Date());
  log.info({ residents: day.played.length }, 'simulated counter: virtual roster ready');
  assembled.start();
  const { runSimConsole } = await import('./sim/console.ts');
  const { simSlot } = await import('./sim/cardSlot.ts');
  const { card, sensor, panel, printer } = devices;
  if (!(card instanceof SimCardReader && sensor instanceof SimFingerprintSensor && panel instanceof SimPanel && printer instanceof SimPrinter)) {
    throw new Error('simulated counter: a device is not simulated');
  }
  void runSimConsole(counter, { card: simSlot(card), reader: card, sensor, panel, printer }, day, {
    input: process.stdin,
    write: (s) => process.stderr.write(s),
  }).then(() => process.kill(process.pid, 'SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
