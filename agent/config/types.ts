import type { CardReaderConfig } from '../../drivers/card/factory.ts';
import type { FingerPosition } from '../../drivers/card/types.ts';
import type { DisplayConfig } from '../../drivers/display/factory.ts';
import type { KeypadConfig } from '../../drivers/keypad/factory.ts';
import type { FingerprintConfig } from '../../drivers/fingerprint/config.ts';
import type { PanelConfig } from '../../drivers/panel/factory.ts';
import type { PrinterConfig } from '../../drivers/printer/factory.ts';
import type { ScannerConfig } from '../../drivers/scanner/factory.ts';
import type { MqttConfig } from '../status/types.ts';

import type { OfficeConfig } from '../office/config.ts';

export type { OfficeConfig };

/** The validated, frozen configuration (shape of schema.json with defaults filled in). */
export interface Config {
  readonly version: 1;
  readonly dataDir: string;
  /** counter (loket) or intake (meja pendaftaran); same image, different devices and duties. */
  readonly role: 'counter' | 'intake';
  readonly site: {
    readonly id: string;
    readonly dinas: string;
    readonly region: string;
    readonly office: string;
    readonly city: string;
    readonly timezone: 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';
  };
  readonly counter: { readonly id: string; readonly label: string; readonly operatorId: string; readonly queuePrefix: string };
  readonly roster: { readonly trustedKeys: readonly string[] };
  readonly ledger: { readonly keyFile: string; readonly recheckIntervalS: number };
  readonly devices: {
    // Each declared once by its driver (drivers/*/factory.ts or config.ts) and checked by the loader.
    readonly cardReader: CardReaderConfig;
    readonly fingerprint: FingerprintConfig;
    readonly panel: PanelConfig;
    readonly printer: PrinterConfig;
    readonly display: DisplayConfig;
    /** Intake desk only. */
    readonly scanner: ScannerConfig;
    readonly keypad: KeypadConfig;
  };
  readonly verification: {
    readonly falseMatchRate: number;
    readonly fingerOrder: readonly [FingerPosition, FingerPosition];
    readonly maxAttempts: number;
    readonly attemptsBeforeSwitch: number;
    readonly maxQualityRetries: number;
    readonly captureTimeoutMs: number;
    readonly maxDeviceFaults: number;
    readonly unverifiedDocuments: 'return' | 'hold';
  };
  readonly card: { readonly readTimeoutMs: number; readonly readAttempts: number; readonly waitForCardMs: number };
  /** Checked in full by agent/status/config.ts (resolveMqttConfig); see agent/status/README.md. */
  readonly mqtt: MqttConfig | null;
  /** null: a one-box office. See docs/appliance.md, "An office with several counters". */
  readonly office: OfficeConfig | null;
  readonly retention: { readonly personalDataDays: number };
  readonly dayClose: { readonly documents: 'returned' | 'kept' };
  readonly officials: {
    readonly counterOfficer: { readonly name: string; readonly position: string; readonly nip?: string };
    readonly dinasOfficer: { readonly name: string; readonly position: string; readonly nip?: string };
  };
  /** Checked further by agent/hall/config.ts (hallConfigProblems). */
  readonly hall: {
    readonly enabled: boolean;
    readonly port: number;
    readonly bind: string;
    readonly brokerWsUrl: string;
    readonly baseTopic: string | null;
    readonly clipsDir: string | null;
    readonly sound: boolean;
    readonly recentCalls: number;
  };
  readonly beritaAcara: {
    /** Tokens in agent/ledger/batchNumber.ts. */
    readonly numberFormat: string;
    /** How old KTPs are destroyed, after "dengan cara"; null: no method is stated. */
    readonly destructionMethod: string | null;
  };
  readonly log: { readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' };
}
