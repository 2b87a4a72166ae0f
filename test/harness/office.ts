import { mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { parseConfig } from '../../agent/config/load.ts';
import type { Config } from '../../agent/config/types.ts';
import { initLedgerFiles, ledgerExists } from '../../agent/ledger/open.ts';
import { assembleIntake, type AssembledIntake } from '../../agent/intake/assemble.ts';
import { openSimCounter, type SimCounter } from '../../agent/sim/simCounter.ts';
import { virtualRoster } from '../../agent/sim/roster.ts';
import { makeResidents } from '../../agent/sim/residents.ts';
import type { Logger } from '../../drivers/logger.ts';
import { SimPanel } from '../../drivers/panel/sim.ts';
import { SimScanner } from '../../drivers/scanner/sim.ts';
import { DayPlayer, type PlayedResident } from './day.ts';
import { sleep, waitFor } from '../helpers/waits.ts';

export const OFFICE_SITE = 'kec-demo';
export const DESK = 'meja-1';

export interface SimOffice {
  readonly intake: AssembledIntake;
  readonly deskConfig: Config;
  readonly counters: readonly SimCounter[];
  /** Intake at the desk through its simulated scanner and the SESUAI button. */
  intakeAll(letters: readonly string[]): Promise<number>;
  /** One counter calls and serves until the queue is empty (or unreachable `giveUpAfter` times). */
  serveUntilEmpty(i: number, log?: (l: string) => void): Promise<{ served: number; notices: string[] }>;
  /**
   * Every box's ledger as `ektp-agent report office` reads it: each box's file opened read-only
   * beside the running box (its Ledger keeps its own handle).
   */
  ledgers(): { readonly boxes: { device: string; db: Database.Database }[]; close(): void };
  close(): Promise<void>;
}

export function officeConfig(url: string | null) {
  return url ? { url, authority: DESK, claimTimeoutMs: 3000, resendMs: 300 } : null;
}

/**
 * An intake desk and `counters` simulated counters sharing one queue through `brokerUrl`.
 * `officeFor(device)`: more keys of that box's `office` block (username, password, tls…).
 * `configFor(device)`: more keys of that box's config (verification, dayClose…).
 */
export async function openSimOffice(opts: {
  residents: number;
  seed: number;
  counters: number;
  dir: string;
  brokerUrl: string;
  logger: Logger;
  officeFor?: (device: string) => Record<string, unknown>;
  configFor?: (device: string) => Record<string, unknown>;
}): Promise<SimOffice> {
  const officeOf = (device: string) => ({ ...officeConfig(opts.brokerUrl), ...opts.officeFor?.(device) });
  const moreOf = (device: string) => opts.configFor?.(device) ?? {};
  mkdirSync(join(opts.dir, DESK), { recursive: true });
  const deskConfig = parseConfig(
    { ...moreOf(DESK), dataDir: join(opts.dir, DESK), role: 'intake', site: { id: OFFICE_SITE }, counter: { id: DESK, label: 'MEJA PENDAFTARAN' }, office: officeOf(DESK) },
    'office',
  );
  // The desk's first run, as `ektp-agent init` (agent/tools/init.ts) does on an installed desk.
  if (!ledgerExists(deskConfig.dataDir)) initLedgerFiles({ dataDir: deskConfig.dataDir, keyFile: deskConfig.ledger.keyFile });
  const intake = await assembleIntake({ config: deskConfig, logger: opts.logger.child({ box: DESK }) });
  const batchId = `VIRTUAL-${opts.seed}-${opts.residents}`;
  if (!intake.ledger.rosterImported(batchId)) intake.importRoster(virtualRoster(makeResidents(opts.seed, opts.residents), OFFICE_SITE, batchId, new Date().toISOString()));
  intake.start();
  const counters: SimCounter[] = [];
  for (let i = 1; i <= opts.counters; i++) {
    const id = `loket-${i}`;
    mkdirSync(join(opts.dir, id), { recursive: true });
    counters.push(
      await openSimCounter({
        residents: opts.residents,
        seed: opts.seed,
        dataDir: join(opts.dir, id),
        logger: opts.logger.child({ box: id }),
        configOverrides: { ...moreOf(id), site: { id: OFFICE_SITE }, counter: { id, label: `LOKET ${i}` }, office: officeOf(id) },
      }),
    );
  }
  const scanner = intake.devices.scanner as SimScanner;
  const panel = intake.devices.panel as SimPanel;
  return {
    intake,
    deskConfig,
    counters,
    async intakeAll(letters) {
      let issued = 0;
      for (const l of letters) {
        scanner.scan(l);
        if (intake.desk.current().name !== 'CONFIRM_LETTER') continue;
        panel.press('SESUAI');
        issued++;
      }
      return issued;
    },
    async serveUntilEmpty(i, log = () => undefined) {
      const c = counters[i];
      const player = new DayPlayer(c.counter, c.devices, c.world, log);
      const notices: string[] = [];
      let served = 0;
      for (;;) {
        const r = await player.call();
        if ('notice' in r) {
          notices.push(r.notice);
          if (r.notice === 'QUEUE_EMPTY') return { served, notices };
          if (notices.length > 50) return { served, notices };
          await new Promise((res) => setTimeout(res, 200));
          continue;
        }
        const letter = c.counter.ledger.residentById(r.residentId).letterNo;
        const p = c.played.find((x: PlayedResident) => x.resident.letterNo === letter);
        if (!p) throw new Error('called a resident this counter does not know');
        await player.serveCalled(p, c.played);
        served++;
      }
    },
    ledgers() {
      const opened = [{ device: DESK, dataDir: deskConfig.dataDir }, ...counters.map((c) => ({ device: c.config.counter.id, dataDir: c.config.dataDir }))].map(
        (b) => ({ device: b.device, db: new Database(join(b.dataDir, 'ledger.sqlite'), { readonly: true }) }),
      );
      return {
        boxes: opened,
        close: () => {
          for (const o of opened) o.db.close();
        },
      };
    },
    async close() {
      for (const c of counters) await c.close();
      await intake.close();
    },
  };
}

/**
 * An office of one desk and loket-1 (seed 53, six residents) where two letters went through
 * intake and loket-1 has called the first: A-001 is leased to loket-1 (its e-KTP and letter
 * `sent` to the counter), A-002 (another resident) waits. `served` is the berhasil_first_try
 * resident of A-001. `configFile` is the desk's config for the CLI tools (`--config`). A claim can time out on
 * a loaded machine (QUEUE_UNREACHABLE, abandoned): PANGGIL is pressed again, as the operator would
 * and as serveUntilEmpty does; `notices` keeps what the counter showed on the way.
 */
export async function openOfficeWithLease(opts: {
  dir: string;
  brokerUrl: string;
  logger: Logger;
  teardown: (fn: () => unknown) => void;
}): Promise<{
  office: SimOffice;
  counter: SimCounter;
  served: PlayedResident;
  player: DayPlayer;
  deskFile: string;
  configFile: string;
  notices: string[];
}> {
  const office = await openSimOffice({ residents: 6, seed: 53, counters: 1, dir: opts.dir, brokerUrl: opts.brokerUrl, logger: opts.logger });
  opts.teardown(() => office.close());
  const counter = office.counters[0];
  await waitFor('counter connected', () => counter.counter.office!.connected);
  const served = counter.played.find((p) => p.scenario === 'berhasil_first_try')!;
  const waiting = counter.played.find((p) => p !== served)!;
  const taken = await office.intakeAll([served.resident.letterNo, waiting.resident.letterNo]);
  if (taken !== 2) throw new Error(`intake took ${taken} of 2 letters`);
  const configFile = join(opts.dir, `${DESK}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({ version: 1, dataDir: join(opts.dir, DESK), role: 'intake', site: { id: OFFICE_SITE }, counter: { id: DESK, label: 'MEJA PENDAFTARAN' }, office: officeConfig(opts.brokerUrl) }),
  );
  const player = new DayPlayer(counter.counter, counter.devices, counter.world, () => undefined);
  const notices: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await player.call();
    if ('residentId' in r) break;
    notices.push(r.notice);
    await sleep(200);
  }
  return { office, counter, served, player, deskFile: join(opts.dir, DESK, 'ledger.sqlite'), configFile, notices };
}
