import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SimCardReader } from '../../drivers/card/sim.ts';
import { SimFingerprintSensor } from '../../drivers/fingerprint/sim.ts';
import type { Logger } from '../../drivers/logger.ts';
import { createCardReader, type CardReaderConfig } from '../../drivers/card/factory.ts';
import type { CardReader } from '../../drivers/card/types.ts';
import { simSlot, vpcdSlot, type CardSlot } from './cardSlot.ts';
import { SimPanel } from '../../drivers/panel/sim.ts';
import { SimPrinter } from '../../drivers/printer/sim.ts';
import { parseConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { Counter } from '../counter.ts';
import { configureDatabase } from '../ledger/migrate.ts';
import { WorkerVerifier } from '../matching/workerVerifier.ts';
import type { VirtualResident } from '../sim/residents.ts';
import type { VirtualWorld } from '../sim/world.ts';
import type { PlayedResident } from './day.ts';
import { prepareVirtualDay } from './virtualDay.ts';

export interface SimCounter {
  readonly config: Config;
  readonly counter: Counter;
  /** `card` is where people put e-KTPs (simulated reader or a vpcd slot); `reader` is what the agent reads. */
  readonly devices: { card: CardSlot; reader: CardReader; sensor: SimFingerprintSensor; panel: SimPanel; printer: SimPrinter };
  readonly world: VirtualWorld;
  readonly played: readonly PlayedResident[];
  /** A resident with a summons letter from another site: never on this roster. */
  readonly outsider: VirtualResident;
  close(): Promise<void>;
}

/**
 * The whole counter on simulated devices with a signed virtual roster imported: what the demo,
 * the interactive mode and the end-to-end tests run. The matcher is the real one, in its worker.
 */
export async function openSimCounter(opts: {
  residents: number;
  seed: number;
  dataDir: string;
  logger: Logger;
  now?: () => Date;
  configOverrides?: Record<string, unknown>;
  /** 'pcsc': cards go through a private pcscd + vpcd and the real PC/SC driver (root only). */
  cardPath?: 'sim' | 'pcsc';
}): Promise<SimCounter> {
  let card: { slot: CardSlot; reader: CardReader };
  let readerConfig: CardReaderConfig = { driver: 'sim' };
  if (opts.cardPath === 'pcsc') {
    const v = await vpcdSlot();
    readerConfig = v.readerConfig;
    card = { slot: v.slot, reader: await createCardReader(v.readerConfig, opts.logger.child({ module: 'card' })) };
  } else {
    const reader = new SimCardReader();
    card = { slot: simSlot(reader), reader };
  }
  const config = parseConfig({ dataDir: opts.dataDir, ...opts.configOverrides, devices: { cardReader: readerConfig } }, 'demo');
  const db = new Database(join(opts.dataDir, 'ledger.sqlite'));
  configureDatabase(db);
  const devices = {
    card: card.slot,
    reader: card.reader,
    sensor: new SimFingerprintSensor(),
    panel: new SimPanel(),
    printer: new SimPrinter({ columns: config.devices.printer.columns }),
  };
  const verifier = await WorkerVerifier.create({ fmr: config.verification.falseMatchRate, logger: opts.logger });
  const now = opts.now ?? (() => new Date());
  const counter = new Counter({
    config,
    db,
    card: devices.reader,
    sensor: devices.sensor,
    panel: devices.panel,
    printer: devices.printer,
    verifier,
    logger: opts.logger,
    now,
    newTxId: randomUUID,
    swVersion: 'demo',
  });

  const { world, played, outsider } = prepareVirtualDay(counter, config, opts.seed, opts.residents, now());

  for (const d of [devices.reader, devices.sensor, devices.panel, devices.printer]) await d.open();
  counter.start();
  return {
    config,
    counter,
    devices,
    world,
    played,
    outsider,
    async close() {
      await counter.stop();
      for (const d of [devices.printer, devices.panel, devices.sensor, devices.reader]) await d.close();
      await devices.card.stop();
      await verifier.close();
      db.close();
    },
  };
}
