import type { Static } from '@sinclair/typebox';
import { CodedError } from '../../drivers/deviceError.ts';
import type { CounterEvent, CounterMetrics } from '../events.ts';
import type { MQTT_CONFIG } from './configSchema.ts';

/**
 * Wire payloads of the status topics (JSON, UTF-8, camelCase, timestamps ISO 8601 UTC). Every type
 * here is built field by field in payloads.ts, never by spreading a caller's object, so a stray
 * NIK or name on an input object cannot ride along to the broker.
 */

/** Broker connection settings, as declared in configSchema.ts; `mqtt: null` in the agent config means "no broker, keep the outbox". */
export type MqttConfig = Static<typeof MQTT_CONFIG>;

export type ResolvedMqttConfig = Required<Omit<MqttConfig, 'username' | 'password' | 'tls' | 'clientId'>> &
  Pick<MqttConfig, 'username' | 'password' | 'tls' | 'clientId'>;

export type StatusErrorCode = 'MQTT_CONFIG_INVALID' | 'MQTT_TLS_FILE' | 'MQTT_PRIVACY_BLOCKED';

export class StatusError extends CodedError<StatusErrorCode> {}

/** Homie's state names: `lost` is only ever sent by the broker (the last will). */
export type CounterStatus = 'init' | 'ready' | 'alert' | 'offline' | 'lost';

export interface StatusPayload {
  readonly state: CounterStatus;
  /** Random per process start; pairs a `lost` will with the `ready` it ends (Sparkplug bdSeq). */
  readonly bootId: string;
  readonly ts: string;
  /** Why the state is `alert` (e.g. `paper_out`, `reader_absent`); empty otherwise. */
  readonly alerts: readonly string[];
}

/** What the agent knows about its hardware and software; published retained on `info`. */
export interface DeviceInfo {
  readonly swVersion: string;
  readonly gitHash: string | null;
  readonly hwModel: string | null;
  readonly readerModel: string | null;
  readonly samPresent: boolean;
  readonly fpSensorModel: string | null;
  readonly matcher: { readonly name: string; readonly version: string; readonly threshold: number; readonly fmr: number };
  readonly printer: { readonly model: string | null; readonly paperMm: number; readonly columns: number };
  readonly configHash: string | null;
  readonly driverMode: 'real' | 'sim';
}

export interface InfoPayload extends DeviceInfo {
  readonly bootId: string;
  readonly bootTs: string;
  readonly ts: string;
}

/** Hardware health as the agent sees it; the publisher adds the outbox and broker parts. */
export interface DeviceHealth {
  /** `none`: this box has no such device (the intake desk has no card reader or sensor). */
  readonly reader: { readonly status: 'ok' | 'absent' | 'error' | 'none'; readonly code: string | null };
  readonly sam: 'ok' | 'absent' | 'locked' | 'unknown';
  readonly sensor: { readonly status: 'ok' | 'absent' | 'error' | 'dirty_suspected' | 'none'; readonly code: string | null };
  readonly printer: {
    readonly online: boolean;
    readonly paper: 'ok' | 'near_end' | 'out' | 'unknown';
    readonly coverOpen: boolean | null;
    readonly code: string | null;
  };
  readonly clockSynced: boolean | null;
  readonly diskFreePct: number | null;
  readonly cpuTempC: number | null;
  /** Transaction state name (idle, awaitingCard…); never a transaction's data. */
  readonly counterState: string | null;
  /**
   * The ledger's audit chain head (row id, HMAC as base64url): the monitor keeps it, so a ledger
   * rewritten later on the box no longer matches what left it. Absent when not known.
   */
  readonly ledgerHead?: { readonly id: number; readonly mac: string } | null;
  /** The button/LED panel: `error` after a GPIO fault. */
  readonly panel?: { readonly status: 'ok' | 'error'; readonly code: string | null };
  /** The intake desk's letter scanner and keypad: `error` while unplugged or failing (absent on a counter). */
  readonly scanner?: { readonly status: 'ok' | 'error'; readonly code: string | null };
  readonly keypad?: { readonly status: 'ok' | 'error'; readonly code: string | null };
  /** The sealed ledger as re-verified under the running agent: `tampered` once it stopped verifying. */
  readonly ledger?: { readonly status: 'ok' | 'tampered'; readonly code: string | null };
  /** The panel's case-intrusion switch: true while the box is open; null without a switch. */
  readonly caseOpen?: boolean | null;
}

export type BrokerState = 'not_configured' | 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface OutboxHealth {
  readonly depth: number;
  /** Events dropped because the outbox was full, since the database was created. */
  readonly dropped: number;
  readonly oldestAgeS: number | null;
}

export interface HealthPayload extends DeviceHealth {
  readonly bootId: string;
  readonly ts: string;
  readonly uptimeS: number;
  readonly broker: BrokerState;
  readonly outbox: OutboxHealth;
}

export interface MetricsPayload extends CounterMetrics {
  readonly bootId: string;
  readonly ts: string;
  /** Start of the counting window (local midnight), so a consumer can tell "today". */
  readonly windowStart: string;
}

/** One counter event on the wire: (bootId, seq) is unique, so consumers drop duplicates. */
export interface EventPayload extends CounterEvent {
  readonly bootId: string;
  readonly seq: number;
}

/**
 * The hall display board's feed. The only payload allowed a queue number: the number is already
 * shown on a screen in a public hall and on the paper ticket, and nothing else here (no NIK, name,
 * txId) links it to a person.
 */
export interface NowServingPayload {
  readonly counter: string;
  readonly queueNumber: string;
  readonly at: string;
}

export type CommandName = 'ping' | 'resend_info' | 'rotate_logs';

export type CommandErrorCode =
  | 'BAD_PAYLOAD'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNKNOWN_COMMAND'
  | 'NOT_SUPPORTED'
  | 'COMMAND_FAILED';

export interface CommandRequest {
  /** Request id chosen by the caller, echoed in the result (zigbee2mqtt's `transaction`). */
  readonly id: string;
}

export type CommandResult =
  | { readonly id: string | null; readonly ok: true; readonly ts: string; readonly result: Readonly<Record<string, unknown>> }
  | {
      readonly id: string | null;
      readonly ok: false;
      readonly ts: string;
      readonly error: { readonly code: CommandErrorCode; readonly message: string };
    };
