import type { CardReader } from '../drivers/card/types.ts';
import type { FingerprintSensor } from '../drivers/fingerprint/types.ts';
import type { Keypad } from '../drivers/keypad/types.ts';
import type { Logger } from '../drivers/logger.ts';
import type { Panel } from '../drivers/panel/types.ts';
import type { Scanner } from '../drivers/scanner/types.ts';
import type { CounterEvent, CounterEventType } from './events.ts';

/**
 * `reader`, `sensor`: a counter's; `scanner`, `keypad`: the intake desk's; `printer`, `panel`: both.
 * `ledger`: the sealed ledger stopped verifying under the running agent (agent/ledger/watch.ts).
 * `case`: the panel's case-intrusion switch says the box is open. Both are sent as `tamper`.
 * `office_link`: the desk's office broker refused its login or ACL (agent/office/link.ts, which
 * logs it): GANGGUAN only, no event — the status broker is not the office's.
 */
export type FaultyDevice = 'printer' | 'reader' | 'sensor' | 'panel' | 'scanner' | 'keypad' | 'ledger' | 'case' | 'office_link';

const EVENT: Record<FaultyDevice, CounterEventType | null> = {
  printer: 'printer_fault',
  reader: 'reader_fault',
  sensor: 'sensor_fault',
  panel: 'panel_fault',
  scanner: 'scanner_fault',
  keypad: 'keypad_fault',
  ledger: 'tamper',
  case: 'tamper',
  office_link: null,
};

/**
 * The scanner's and keypad's `fault` also carries a bad scan (SCAN_UNREADABLE) or an entry too long
 * (KEYPAD_OVERFLOW): the officer's notice, not the device failing, and no `recovered` follows.
 */
const DEVICE_CODES: ReadonlySet<string> = new Set(['SCANNER_ABSENT', 'SCANNER_IO', 'KEYPAD_ABSENT', 'KEYPAD_IO']);

/** What the monitor needs of a device: Node's EventEmitter attach and detach. */
interface Listenable {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/** The devices a box watches: a counter has a card reader and a sensor, the intake desk a scanner and a keypad. */
export interface FaultMonitorDeps {
  readonly card?: CardReader | null;
  readonly sensor?: FingerprintSensor | null;
  readonly scanner?: Scanner | null;
  readonly keypad?: Keypad | null;
  readonly panel: Panel;
  /** The print queue's own fault/recovered signals (it learns of the printer by printing). */
  readonly prints: { on(e: 'fault', f: (err: { code: string }) => void): unknown; on(e: 'recovered', f: () => void): unknown };
  /** Writes one event to the outbox (its own SQLite transaction). */
  readonly journal: (event: CounterEvent) => void;
  /** Health changed: republish status (alerts) and health; drain the outbox. */
  readonly changed: () => void;
  /** The open transaction's id, or a fresh one: events carry a UUID, never a resident. */
  readonly txId: () => string;
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * Every device fault reaches the operator and central monitoring, once: GANGGUAN blinks while any
 * device is at fault (the runner asks `active()` when it paints the LEDs), `status.alerts` follow
 * health, and one `*_fault` event goes out when a fault starts and one (result `recovered`) when
 * it ends — never one per failed retry. Faults are not verdicts: the transaction waits.
 */
export class FaultMonitor {
  private readonly faults = new Map<FaultyDevice, string>();
  private readonly log: Logger;

  constructor(private readonly deps: FaultMonitorDeps) {
    this.log = deps.logger.child({ module: 'faults' });
  }

  private readonly onReaderLost = (err: { code: string }) => this.fault('reader', err.code);
  private readonly onReaderReady = () => this.recovered('reader');
  private readonly onSensorDetached = () => this.fault('sensor', 'DISCONNECTED');
  private readonly onSensorAttached = () => this.recovered('sensor');
  private readonly onPanelFault = (err: { code: string }) => this.fault('panel', err.code);
  private readonly onPanelRecovered = () => this.recovered('panel');
  private readonly onCase = (open: boolean) => (open ? this.fault('case', 'CASE_OPENED') : this.recovered('case'));
  private readonly onScannerFault = (err: { code: string }) => {
    if (DEVICE_CODES.has(err.code)) this.fault('scanner', err.code);
  };
  private readonly onScannerRecovered = () => this.recovered('scanner');
  private readonly onKeypadFault = (err: { code: string }) => {
    if (DEVICE_CODES.has(err.code)) this.fault('keypad', err.code);
  };
  private readonly onKeypadRecovered = () => this.recovered('keypad');

  /**
   * Every device signal the monitor listens to, as [emitter, event, listener]: start() attaches
   * them and stop() detaches the same list, so the two cannot drift apart. A device the box does
   * not have is null.
   */
  private bindings(): readonly [Listenable | null | undefined, string, (...args: never[]) => void][] {
    return [
      [this.deps.card, 'reader-lost', this.onReaderLost],
      [this.deps.card, 'reader-ready', this.onReaderReady],
      [this.deps.sensor, 'detached', this.onSensorDetached],
      [this.deps.sensor, 'attached', this.onSensorAttached],
      [this.deps.scanner, 'fault', this.onScannerFault],
      [this.deps.scanner, 'recovered', this.onScannerRecovered],
      [this.deps.keypad, 'fault', this.onKeypadFault],
      [this.deps.keypad, 'recovered', this.onKeypadRecovered],
      [this.deps.panel, 'fault', this.onPanelFault],
      [this.deps.panel, 'recovered', this.onPanelRecovered],
      [this.deps.panel, 'case', this.onCase],
    ];
  }

  start(): void {
    for (const [emitter, event, listener] of this.bindings()) emitter?.on(event, listener);
    // A case found open at start is as much an intrusion as one opened later.
    if (this.deps.panel.caseOpen?.() === true) this.fault('case', 'CASE_OPENED');
    // The print queue lives and dies with the counter; nothing to detach.
    this.deps.prints.on('fault', (err) => this.fault('printer', err.code));
    this.deps.prints.on('recovered', () => this.recovered('printer'));
  }

  stop(): void {
    for (const [emitter, event, listener] of this.bindings()) emitter?.off(event, listener);
  }

  /** True while any device is at fault: the runner keeps GANGGUAN blinking over its state picture. */
  active(): boolean {
    return this.faults.size > 0;
  }

  current(): ReadonlyMap<FaultyDevice, string> {
    return this.faults;
  }

  /** A device failed. The same device failing again before it recovered is the same fault. */
  fault(device: FaultyDevice, code: string): void {
    if (this.faults.has(device)) return;
    this.faults.set(device, code);
    this.log.error({ device, code }, 'device fault');
    this.deps.panel.setLed('GANGGUAN', 'fast');
    this.emit(device, 'fault', code);
  }

  recovered(device: FaultyDevice): void {
    const code = this.faults.get(device);
    if (code === undefined) return;
    this.faults.delete(device);
    this.log.info({ device, code }, 'device recovered');
    // GANGGUAN shows the set of faults, not the last change: another device may still be down.
    if (this.faults.size === 0) this.deps.panel.setLed('GANGGUAN', 'off');
    this.emit(device, 'recovered', code);
  }

  private emit(device: FaultyDevice, result: 'fault' | 'recovered', code: string): void {
    const type = EVENT[device];
    if (type === null) {
      this.deps.changed();
      return;
    }
    try {
      this.deps.journal({
        type,
        txId: this.deps.txId(),
        result,
        // Tampering is not a device failing; its code (LEDGER_TAMPERED, CASE_OPENED) says what it is.
        reason: type === 'tamper' ? null : 'device_fault',
        attempts: 0,
        finger: null,
        durationMs: 0,
        code,
        at: this.deps.now().toISOString(),
      });
    } catch (err) {
      // A full disk must not also hide the fault: the LED and the log line above already told.
      this.log.error({ err, device }, 'fault event not journaled');
    }
    this.deps.changed();
  }
}
