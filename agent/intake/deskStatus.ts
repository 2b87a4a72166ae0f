import type { Database } from 'better-sqlite3';
import type { Logger } from '../../drivers/logger.ts';
import type { Config } from '../config/types.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { FaultyDevice } from '../faults.ts';
import { dailyMetrics } from '../ledger/metrics.ts';
import { StatusPublisher } from '../status/publisher.ts';

/**
 * The intake desk's voice on the status broker (`mqtt` block, as on a counter): the same
 * publisher, outbox and topics, so a `tamper` event from the desk reaches the fleet monitor the
 * way a counter's does. The desk has no card reader or sensor (`none`, never an alert); its
 * scanner and keypad have fields of their own (`scanner_fault`, `keypad_fault` alerts and events).
 */
export function deskStatus(parts: {
  config: Config;
  db: Database;
  ledger: Ledger;
  logger: Logger;
  bootId: string;
  swVersion: string;
  state: () => string;
  ledgerRefused: () => string | null;
  printerCode: () => string | null;
  /** The desk's FaultMonitor: which devices are at fault now, with their codes. */
  faults: () => ReadonlyMap<FaultyDevice, string>;
  caseOpen: () => boolean | null;
}): StatusPublisher {
  const { config, ledger } = parts;
  const printer = config.devices.printer;
  return new StatusPublisher({
    config: config.mqtt,
    site: config.site.id,
    device: config.counter.id,
    db: parts.db,
    logger: parts.logger,
    bootId: parts.bootId,
    metrics: () => dailyMetrics(ledger),
    info: () => ({
      swVersion: parts.swVersion,
      gitHash: null,
      hwModel: null,
      readerModel: null,
      samPresent: false,
      fpSensorModel: null,
      matcher: { name: 'none', version: '', threshold: 0, fmr: 0 },
      printer: { model: printer.driver, paperMm: printer.columns === 48 ? 80 : 58, columns: printer.columns },
      configHash: null,
      driverMode: Object.values(config.devices).every((d) => d.driver === 'sim') ? 'sim' : 'real',
    }),
    health: () => {
      const code = parts.printerCode();
      const refused = parts.ledgerRefused();
      const head = ledger.chainHead();
      const faults = parts.faults();
      const device = (d: FaultyDevice) => (faults.has(d) ? { status: 'error' as const, code: faults.get(d) ?? null } : { status: 'ok' as const, code: null });
      return {
        reader: { status: 'none', code: null },
        sam: 'unknown',
        sensor: { status: 'none', code: null },
        printer: { online: code === null || code === 'PAPER_OUT' || code === 'COVER_OPEN', paper: code === 'PAPER_OUT' ? 'out' : code === null ? 'ok' : 'unknown', coverOpen: code === 'COVER_OPEN' ? true : code === null ? false : null, code },
        clockSynced: null,
        diskFreePct: null,
        cpuTempC: null,
        counterState: parts.state(),
        panel: device('panel'),
        scanner: device('scanner'),
        keypad: device('keypad'),
        ledger: refused ? { status: 'tampered', code: refused } : { status: 'ok', code: null },
        caseOpen: parts.caseOpen(),
        ledgerHead: { id: head.id, mac: Buffer.from(head.hash, 'hex').toString('base64url') },
      };
    },
  });
}
