import type { CardReader } from '../../drivers/card/types.ts';
import type { Display } from '../../drivers/display/types.ts';
import type { FingerprintSensor } from '../../drivers/fingerprint/types.ts';
import type { Panel } from '../../drivers/panel/types.ts';
import type { Printer } from '../../drivers/printer/types.ts';
import type { ResolvedMqttConfig } from '../status/types.ts';

// The verdict types live with the verdict table (messages.ts), which needs nothing from here.
import type { CheckResult } from './messages.ts';
export type { CheckResult, CheckStatus } from './messages.ts';

/**
 * Everything the checks look at, already constructed. The CLI builds it from the config and the
 * device factories; tests pass simulators. A device left undefined is not checked.
 */
export interface DoctorContext {
  readonly cardReader?: CardReader;
  readonly sensor?: FingerprintSensor;
  readonly printer?: Printer;
  readonly panel?: Panel;
  readonly display?: Display;
  /** pcscd's socket when the reader goes through PC/SC; null when the reader is simulated. */
  readonly pcscdSocket?: string | null;
  /** null: no broker configured (a pass: events wait in the local outbox). */
  readonly mqtt?: ResolvedMqttConfig | null;
  readonly dataDir?: string;
  /** SQLite files to run `PRAGMA integrity_check` on; missing files are fine (fresh install). */
  readonly dbPaths?: readonly string[];
  /** The ledger and its chain key, verified like at start-up; undefined: not checked. */
  readonly ledger?: { readonly path: string; readonly keyFile: string };
  /** `roster.trustedKeys` from the config; undefined: not checked. */
  readonly rosterKeys?: readonly string[];
  /** Any device driver is real (the development roster key is then refused). */
  readonly realDevices?: boolean;
  /** Injected for tests; default `new Date()`. */
  readonly now?: () => Date;
  /** NTP state: true/false, or undefined when it cannot be told (no timedatectl). */
  readonly ntpSynchronized?: () => Promise<boolean | undefined>;
  /** How long a sensor capture waits when probing (ms); default 500. */
  readonly sensorProbeMs?: number;
}

export type Check = (ctx: DoctorContext) => Promise<CheckResult>;
