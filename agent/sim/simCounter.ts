import { SimCardReader } from '../../drivers/card/sim.ts';
import type { CardReader } from '../../drivers/card/types.ts';
import type { CardReaderConfig } from '../../drivers/card/factory.ts';
import type { FingerprintConfig } from '../../drivers/fingerprint/config.ts';
import { SimFingerprintSensor } from '../../drivers/fingerprint/sim.ts';
import type { Logger } from '../../drivers/logger.ts';
import { SimPanel } from '../../drivers/panel/sim.ts';
import { SimPrinter } from '../../drivers/printer/sim.ts';
import { SimDisplay } from '../../drivers/display/sim.ts';
import { assembleCounter } from '../assemble.ts';
import { parseConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import type { Counter } from '../counter.ts';
import { simSlot, type CardSlot } from './cardSlot.ts';
import { makeResident, type VirtualResident } from './residents.ts';
import type { PlayedResident } from './scenarios.ts';
import { importVirtualRoster, prepareVirtualDay } from './virtualDay.ts';
import { initLedgerFiles, ledgerExists } from '../ledger/open.ts';
import type { RosterSigner } from './roster.ts';
import type { ClockSync } from '../clockSync.ts';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VirtualWorld } from './world.ts';

export interface SimCounter {
  readonly config: Config;
  readonly counter: Counter;
  /** `card` is where people put e-KTPs (simulated reader or a vpcd slot); `reader` is what the agent reads. */
  readonly devices: { card: CardSlot; reader: CardReader; sensor: SimFingerprintSensor; panel: SimPanel; printer: SimPrinter; display: SimDisplay };
  readonly world: VirtualWorld;
  readonly played: readonly PlayedResident[];
  /** A resident with a summons letter from another site: never on this roster. */
  readonly outsider: VirtualResident;
  close(): Promise<void>;
}

/** Narrows a device built from a `driver: 'sim'` config to its simulator class (with its controls). */
export function simulated<T>(device: unknown, kind: abstract new (...args: never[]) => T, name: string): T {
  if (!(device instanceof kind)) throw new Error(`simulated counter: the ${name} is not simulated`);
  return device;
}

/**
 * The whole counter on simulated devices with a signed virtual roster imported: what the demo,
 * the interactive mode and the end-to-end tests run. Assembled by agent/assemble.ts like the
 * real agent; the matcher is the real one, in its worker.
 */
export async function openSimCounter(opts: {
  residents: number;
  seed: number;
  dataDir: string;
  logger: Logger;
  now?: () => Date;
  configOverrides?: Record<string, unknown>;
  /** eager (default): every resident's card made at start; lazy: only the roster imported. */
  cards?: 'eager' | 'lazy';
  /**
   * Where e-KTPs go instead of the simulated reader, and the reader config that reads them (the
   * harness's private pcscd + vpcd, test/harness/vpcdSlot.ts).
   */
  cardSlot?: { slot: CardSlot; readerConfig: CardReaderConfig };
  /** Print through the real ESC/POS driver to this TCP printer (e.g. the harness's printer emulator). */
  escposPrinter?: { host: string; port: number };
  /** A real fingerprint driver in place of the simulated sensor (e.g. `usb` under umockdev-run). */
  fingerprint?: FingerprintConfig;
  /** The wall clock's NTP state; default: synced. */
  clock?: ClockSync;
  /** The residents' side (their fingers); a VirtualWorld in this process by default. */
  world?: VirtualWorld;
}): Promise<SimCounter> {
  const readerConfig: CardReaderConfig = opts.cardSlot?.readerConfig ?? { driver: 'sim' };
  // A real driver (PC/SC, ESC/POS) makes this a counter with real devices: it then refuses the
  // development roster key and wants its chain key outside the data directory, as a real box
  // does. The simulated day makes both beside the data directory.
  const real = readerConfig.driver !== 'sim' || opts.escposPrinter !== undefined || (opts.fingerprint !== undefined && opts.fingerprint.driver !== 'sim');
  const signer = real ? demoRosterSigner(opts.dataDir) : undefined;
  const printerConfig = opts.escposPrinter
    ? { printer: { driver: 'escpos', columns: 32, transport: { type: 'tcp', host: opts.escposPrinter.host, port: opts.escposPrinter.port } } }
    : {};
  const config = parseConfig(
    {
      dataDir: opts.dataDir,
      ...(signer ? { roster: { trustedKeys: [signer.keyId] }, ledger: { keyFile: `${resolve(opts.dataDir)}.ledger.key` } } : {}),
      ...opts.configOverrides,
      devices: { cardReader: readerConfig, ...printerConfig, ...(opts.fingerprint ? { fingerprint: opts.fingerprint } : {}) },
    },
    'demo',
  );
  // The simulated day's explicit first run (what `ektp-agent init` does on a box); a reopened
  // day keeps its ledger.
  if (!ledgerExists(config.dataDir)) initLedgerFiles({ dataDir: config.dataDir, keyFile: config.ledger.keyFile });
  const now = opts.now ?? (() => new Date());
  const parts = await assembleCounter({ config, logger: opts.logger, now, swVersion: 'demo', clock: opts.clock });
  try {
    const d = parts.devices;
    const devices = {
      card: opts.cardSlot?.slot ?? simSlot(simulated(d.card, SimCardReader, 'card reader')),
      reader: d.card,
      // With `fingerprint` the counter captures through that driver; this SimFingerprintSensor stays idle.
      sensor: opts.fingerprint ? new SimFingerprintSensor() : simulated(d.sensor, SimFingerprintSensor, 'fingerprint sensor'),
      panel: simulated(d.panel, SimPanel, 'panel'),
      // With `escposPrinter` the counter prints through the real driver; this SimPrinter stays idle.
      printer: opts.escposPrinter ? new SimPrinter({ columns: 32 }) : simulated(d.printer, SimPrinter, 'printer'),
      display: simulated(d.display, SimDisplay, 'display'),
    };
    // lazy: the roster only; the caller makes each resident's card when called (playedResident).
    const lazy = opts.cards === 'lazy';
    if (lazy) importVirtualRoster(parts.counter, config, opts.seed, opts.residents, now(), signer);
    const { world, played, outsider } = lazy
      ? { world: opts.world ?? new VirtualWorld(opts.seed), played: [] as PlayedResident[], outsider: makeResident(opts.seed + 1_000_000, 0) }
      : prepareVirtualDay(parts.counter, config, opts.seed, opts.residents, now(), opts.world, signer);
    parts.start();
    return {
      config,
      counter: parts.counter,
      devices,
      world,
      played,
      outsider,
      async close() {
        const failed = await parts.close();
        await devices.card.stop();
        if (failed.length > 0) throw new Error(`simulated counter: close failed for ${failed.join(', ')}`);
      },
    };
  } catch (err) {
    await parts.close();
    await opts.cardSlot?.slot.stop();
    throw err;
  }
}

/** A roster signing key pair of this simulated day, kept in its data directory (nothing real to protect). */
function demoRosterSigner(dataDir: string): RosterSigner {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pub = join(resolve(dataDir), 'demo-roster.pub.pem');
  const priv = join(resolve(dataDir), 'demo-roster.key.pem');
  if (!existsSync(priv)) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o600 });
  }
  return { key: createPrivateKey(readFileSync(priv)), keyId: pub };
}
