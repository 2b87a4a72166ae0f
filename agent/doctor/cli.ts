import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger, type Logger } from '../../drivers/logger.ts';
import type { CardReader } from '../../drivers/card/types.ts';
import type { FingerprintSensor } from '../../drivers/fingerprint/types.ts';
import type { Display } from '../../drivers/display/types.ts';
import type { Panel } from '../../drivers/panel/types.ts';
import type { Printer } from '../../drivers/printer/types.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { resolveMqttConfig } from '../status/config.ts';
import { PCSCD_SOCKET } from './checks/pcscd.ts';
import { formatJson, formatTable } from './report.ts';
import { exitStatus, runChecks } from './run.ts';
import type { DoctorContext } from './types.ts';

/** Where scripts/install puts the config; used when --config is not given and the file exists. */
export const INSTALLED_CONFIG = '/etc/ektp-agent/config.json';

const USAGE = `Usage: ektp-agent doctor [--config FILE] [--json] [--verbose] [--force] [--check-config]

Checks pcscd, the card reader and SAM, the fingerprint sensor, the printer, the button panel, the
operator display, the monitoring broker, the clock, the data directory, free disk space and the
ledger database, and prints one line per check in Bahasa Indonesia.

  --config FILE  agent config (default ${INSTALLED_CONFIG} if present, else the simulated counter)
  --json         machine-readable result on stdout
  --verbose, -v  add the technical detail under each line
  --force        check the devices even though the agent service is running (it holds them)
  --check-config only validate the config and build the drivers (opens no device)

Exit status: 0 nothing failed, 1 a check failed, 2 usage or configuration error.
`;

export interface DeviceFactories {
  createCardReader(config: unknown, logger: Logger): Promise<CardReader> | CardReader;
  createFingerprintSensor(config: unknown, logger: Logger): Promise<FingerprintSensor> | FingerprintSensor;
  createPrinter(config: unknown, logger: Logger): Promise<Printer> | Printer;
  createPanel(config: unknown, logger: Logger): Promise<Panel> | Panel;
  createDisplay(config: unknown, logger: Logger): Promise<Display> | Display;
}

export interface DoctorDeps {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  loadConfig(path: string | undefined): Config;
  factories(): Promise<DeviceFactories>;
  /** True when the ektp-agent service is active (it then holds the USB devices). */
  agentRunning(): Promise<boolean>;
  installedConfig: string;
}

function systemctlIsActive(unit: string): Promise<boolean> {
  return new Promise((done) => {
    execFile('systemctl', ['is-active', '--quiet', unit], { timeout: 3000 }, (err) => done(err === null));
  });
}

async function defaultFactories(): Promise<DeviceFactories> {
  const [card, fingerprint, printer, panel, display] = await Promise.all([
    import('../../drivers/card/factory.ts'),
    import('../../drivers/fingerprint/factory.ts'),
    import('../../drivers/printer/factory.ts'),
    import('../../drivers/panel/factory.ts'),
    import('../../drivers/display/factory.ts'),
  ]);
  return {
    createCardReader: card.createCardReader,
    createFingerprintSensor: fingerprint.createFingerprintSensor,
    createPrinter: printer.createPrinter,
    createPanel: panel.createPanel,
    createDisplay: display.createDisplay,
  };
}

const defaultDeps: DoctorDeps = {
  stdout: process.stdout,
  stderr: process.stderr,
  loadConfig,
  factories: defaultFactories,
  agentRunning: () => systemctlIsActive('ektp-agent.service'),
  installedConfig: INSTALLED_CONFIG,
};

/** Every SQLite file the agent keeps in its data directory (the ledger, the outbox...). */
function sqliteFiles(dataDir: string): string[] {
  try {
    return readdirSync(dataDir)
      .filter((f) => /\.(db|sqlite3?)$/.test(f))
      .sort()
      .map((f) => join(dataDir, f));
  } catch {
    return [];
  }
}

/** Every problem at once, so the installer fixes the file in one go; always exit status 2. */
function reportProblems(deps: DoctorDeps, title: string, configPath: string | undefined, problems: readonly string[]): 2 {
  deps.stderr.write(`${title} (${configPath ?? 'bawaan'}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  return 2;
}

function usesRealDevices(config: Config): boolean {
  return Object.values(config.devices).some((d) => d.driver !== 'sim');
}

/**
 * `ektp-agent doctor`. Returns the exit status instead of exiting so tests and the bin entry
 * decide; every device it opens is closed again before it returns.
 */
export async function main(argv: string[], overrides: Partial<DoctorDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps, ...overrides };
  let args: { config?: string; json?: boolean; verbose?: boolean; force?: boolean; help?: boolean; 'check-config'?: boolean };
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        force: { type: 'boolean' },
        'check-config': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    deps.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    deps.stdout.write(USAGE);
    return 0;
  }

  const configPath = args.config ?? (existsSync(deps.installedConfig) ? deps.installedConfig : undefined);
  let config: Config;
  try {
    config = deps.loadConfig(configPath);
  } catch (err) {
    return reportProblems(deps, 'Konfigurasi tidak valid', configPath, err instanceof ConfigError ? err.problems : [(err as Error).message]);
  }

  if (args['check-config']) {
    // Driver constructors do no I/O, so building them checks each device's config in full.
    const built = await buildContext(config, deps);
    if ('problems' in built) return reportProblems(deps, 'Konfigurasi perangkat tidak valid', configPath, built.problems);
    deps.stdout.write(`Konfigurasi valid: ${configPath ?? 'bawaan'}\n`);
    return 0;
  }

  if (usesRealDevices(config) && !args.force && (await deps.agentRunning())) {
    deps.stderr.write(
      'Agen sedang berjalan dan memakai perangkat. Hentikan dulu, periksa, lalu jalankan lagi:\n' +
        '  sudo systemctl stop ektp-agent && sudo ektp-agent doctor; sudo systemctl start ektp-agent\n',
    );
    return 2;
  }

  const built = await buildContext(config, deps);
  if ('problems' in built) return reportProblems(deps, 'Konfigurasi perangkat tidak valid', configPath, built.problems);

  const results = await runChecks(built.ctx);
  if (args.json) {
    deps.stdout.write(formatJson(results));
  } else {
    deps.stdout.write(`Pemeriksaan kotak e-KTP: ${config.site.office}, ${config.counter.label} (${configPath ?? 'konfigurasi bawaan'})\n\n`);
    deps.stdout.write(formatTable(results, { details: args.verbose ?? false }));
  }
  return exitStatus(results);
}

/** Builds every device from the config; a factory that rejects its config is a config error (2). */
async function buildContext(config: Config, deps: DoctorDeps): Promise<{ ctx: DoctorContext } | { problems: string[] }> {
  const problems: string[] = [];
  let f: DeviceFactories;
  try {
    f = await deps.factories();
  } catch (err) {
    return { problems: [`drivers cannot be loaded (incomplete installation? run scripts/install again): ${(err as Error).message}`] };
  }
  const log = silentLogger;
  const build = async <T>(what: string, make: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await make();
    } catch (err) {
      // Factory messages may span lines; keep each continuation under its own bullet.
      problems.push(`devices.${what}: ${(err as Error).message.replace(/\n+/g, '\n    ')}`);
      return undefined;
    }
  };
  const cardReader = await build('cardReader', () => f.createCardReader(config.devices.cardReader, log));
  const sensor = await build('fingerprint', () => f.createFingerprintSensor(config.devices.fingerprint, log));
  const printer = await build('printer', () => f.createPrinter(config.devices.printer, log));
  const panel = await build('panel', () => f.createPanel(config.devices.panel, log));
  const display = await build('display', () => f.createDisplay(config.devices.display, log));

  let mqtt: DoctorContext['mqtt'] = null;
  if (config.mqtt !== null) {
    const resolved = resolveMqttConfig(config.mqtt);
    problems.push(...resolved.errors);
    mqtt = resolved.config;
  }
  if (problems.length > 0) return { problems };

  const dataDir = resolve(config.dataDir);
  // libpcsclite takes its socket from PCSCLITE_CSOCK_NAME when set; the doctor asks the same one.
  const pcscdSocket = config.devices.cardReader.driver === 'pcsc' ? (process.env.PCSCLITE_CSOCK_NAME ?? PCSCD_SOCKET) : null;
  return {
    ctx: {
      cardReader,
      sensor,
      printer,
      panel,
      display,
      pcscdSocket,
      mqtt,
      dataDir,
      dbPaths: sqliteFiles(dataDir),
      rosterKeys: config.roster.trustedKeys,
      ledger: { path: join(dataDir, 'ledger.sqlite'), keyFile: config.ledger.keyFile },
      realDevices: usesRealDevices(config),
    },
  };
}
