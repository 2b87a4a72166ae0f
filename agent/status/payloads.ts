import type { CounterEvent, CounterEventType, CounterMetrics, NowServing, ReasonCode } from '../events.ts';
import type {
  DeviceHealth,
  DeviceInfo,
  EventPayload,
  HealthPayload,
  InfoPayload,
  MetricsPayload,
  NowServingPayload,
  OutboxHealth,
  BrokerState,
} from './types.ts';

/**
 * Builders for every wire payload. Each one copies known fields one by one and checks their shape,
 * so whatever else a caller's object carries (a resident record spread in by mistake) is left
 * behind. `findPersonalData` is the last gate before the socket.
 */

const EVENT_TYPES: ReadonlySet<CounterEventType> = new Set([
  'verification',
  'handover',
  'docs_returned',
  'cancelled',
  'card_unreadable',
  'unverified',
  'unverified_closed',
  'printer_fault',
  'reader_fault',
  'sensor_fault',
  'panel_fault',
  'scanner_fault',
  'keypad_fault',
  'tamper',
]);

const REASONS: ReadonlySet<ReasonCode> = new Set([
  'fp_no_match',
  'fp_quality',
  'card_unreadable',
  'sig_invalid',
  'data_disputed',
  'data_mismatch',
  'print_mismatch',
  'card_damaged',
  'not_on_roster',
  'already_issued',
  'operator_abort',
  'no_show',
  'interrupted',
  'device_fault',
  'no_usable_template',
]);

const RESULTS = new Set(['berhasil', 'gagal', 'tertunda', 'batal', 'fault', 'recovered'] as const);
const FINGERS = new Set(['right_index', 'left_index'] as const);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,47}$/;
const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;
const QUEUE_NUMBER = /^[A-Za-z0-9-]{1,12}$/;

/** Thrown for an event that cannot be made safe; the caller's transaction decides what to do. */
export class PayloadError extends TypeError {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

function count(n: unknown, max = 1e9): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.min(Math.round(n), max) : 0;
}

function shortText(s: unknown, max = 64): string | null {
  if (typeof s !== 'string') return null;
  const t = s.trim().slice(0, max);
  return t.length > 0 ? t : null;
}

function ts(s: unknown, fallback: Date): string {
  return typeof s === 'string' && ISO_TS.test(s) ? s : fallback.toISOString();
}

/**
 * Validates and copies one counter event. The enumerations are checked because an unknown string
 * there is the likeliest way for free text (and personal data) to leak; a bad event throws
 * PayloadError instead of being sent half-right.
 */
export function toEventPayload(e: CounterEvent, bootId: string, seq: number): EventPayload {
  if (!EVENT_TYPES.has(e.type)) throw new PayloadError('type', `unknown event type`);
  if (!RESULTS.has(e.result)) throw new PayloadError('result', `unknown event result`);
  if (e.reason !== null && !REASONS.has(e.reason)) throw new PayloadError('reason', `unknown reason code`);
  if (e.finger !== null && !FINGERS.has(e.finger)) throw new PayloadError('finger', `unknown finger`);
  if (typeof e.txId !== 'string' || !UUID.test(e.txId)) throw new PayloadError('txId', 'txId must be a random UUID');
  if (e.code !== null && (typeof e.code !== 'string' || !ERROR_CODE.test(e.code))) {
    throw new PayloadError('code', 'code must be an UPPER_SNAKE device error code');
  }
  return {
    bootId,
    seq,
    txId: e.txId.toLowerCase(),
    type: e.type,
    result: e.result,
    reason: e.reason,
    attempts: count(e.attempts, 99),
    finger: e.finger,
    durationMs: count(e.durationMs, 86_400_000),
    code: e.code,
    at: ts(e.at, new Date()),
  };
}

export function toNowServingPayload(n: NowServing, now: Date): NowServingPayload {
  const counter = shortText(n.counter, 32);
  if (counter === null) throw new PayloadError('counter', 'counter label is required');
  if (typeof n.queueNumber !== 'string' || !QUEUE_NUMBER.test(n.queueNumber)) {
    throw new PayloadError('queueNumber', 'queue number must be 1-12 letters, digits or dashes');
  }
  return { counter, queueNumber: n.queueNumber, at: ts(n.at, now) };
}

export function toInfoPayload(i: DeviceInfo, bootId: string, bootTs: string, now: Date): InfoPayload {
  return {
    swVersion: shortText(i.swVersion) ?? 'unknown',
    gitHash: shortText(i.gitHash, 40),
    hwModel: shortText(i.hwModel),
    readerModel: shortText(i.readerModel),
    samPresent: i.samPresent === true,
    fpSensorModel: shortText(i.fpSensorModel),
    matcher: {
      name: shortText(i.matcher?.name) ?? 'unknown',
      version: shortText(i.matcher?.version) ?? 'unknown',
      threshold: typeof i.matcher?.threshold === 'number' ? i.matcher.threshold : 0,
      fmr: typeof i.matcher?.fmr === 'number' ? i.matcher.fmr : 0,
    },
    printer: {
      model: shortText(i.printer?.model),
      paperMm: count(i.printer?.paperMm, 200),
      columns: count(i.printer?.columns, 200),
    },
    configHash: shortText(i.configHash, 64),
    driverMode: i.driverMode === 'real' ? 'real' : 'sim',
    bootId,
    bootTs,
    ts: now.toISOString(),
  };
}

function code(c: unknown): string | null {
  return typeof c === 'string' && ERROR_CODE.test(c) ? c : null;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(v as T) ? (v as T) : fallback;
}

function nullableNumber(n: unknown): number | null {
  return typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 10) / 10 : null;
}

export function toHealthPayload(
  h: DeviceHealth,
  extra: { bootId: string; uptimeS: number; broker: BrokerState; outbox: OutboxHealth },
  now: Date,
): HealthPayload {
  return {
    reader: { status: oneOf(h.reader?.status, ['ok', 'absent', 'error', 'none'], 'error'), code: code(h.reader?.code) },
    sam: oneOf(h.sam, ['ok', 'absent', 'locked', 'unknown'], 'unknown'),
    sensor: {
      status: oneOf(h.sensor?.status, ['ok', 'absent', 'error', 'dirty_suspected', 'none'], 'error'),
      code: code(h.sensor?.code),
    },
    printer: {
      online: h.printer?.online === true,
      paper: oneOf(h.printer?.paper, ['ok', 'near_end', 'out', 'unknown'], 'unknown'),
      coverOpen: typeof h.printer?.coverOpen === 'boolean' ? h.printer.coverOpen : null,
      code: code(h.printer?.code),
    },
    clockSynced: typeof h.clockSynced === 'boolean' ? h.clockSynced : null,
    diskFreePct: nullableNumber(h.diskFreePct),
    cpuTempC: nullableNumber(h.cpuTempC),
    counterState: h.counterState !== null && /^[A-Za-z_]{1,32}$/.test(String(h.counterState)) ? h.counterState : null,
    panel: { status: h.panel?.status === 'error' ? 'error' : 'ok', code: code(h.panel?.code) },
    // Only the intake desk has them; a counter's health leaves them out.
    ...(h.scanner ? { scanner: { status: h.scanner.status === 'error' ? 'error' : 'ok', code: code(h.scanner.code) } } : {}),
    ...(h.keypad ? { keypad: { status: h.keypad.status === 'error' ? 'error' : 'ok', code: code(h.keypad.code) } } : {}),
    ledger: { status: h.ledger?.status === 'tampered' ? 'tampered' : 'ok', code: code(h.ledger?.code) },
    caseOpen: typeof h.caseOpen === 'boolean' ? h.caseOpen : null,
    ledgerHead:
      h.ledgerHead && Number.isInteger(h.ledgerHead.id) && /^[A-Za-z0-9_-]{43}$/.test(h.ledgerHead.mac) ? { id: h.ledgerHead.id, mac: h.ledgerHead.mac } : null,
    bootId: extra.bootId,
    ts: now.toISOString(),
    uptimeS: count(extra.uptimeS),
    broker: extra.broker,
    outbox: extra.outbox,
  };
}

export function toMetricsPayload(m: CounterMetrics, bootId: string, now: Date): MetricsPayload {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const histogram: Record<string, number> = {};
  for (const [k, v] of Object.entries(m.fpAttemptsHistogram ?? {})) {
    if (/^\d{1,2}\+?$/.test(k)) histogram[k] = count(v);
  }
  return {
    queueWaiting: count(m.queueWaiting),
    served: count(m.served),
    berhasil: count(m.berhasil),
    gagal: count(m.gagal),
    disputed: count(m.disputed),
    cancelled: count(m.cancelled),
    avgServiceSeconds: nullableNumber(m.avgServiceSeconds),
    fpAttemptsHistogram: histogram,
    bootId,
    ts: now.toISOString(),
    windowStart: midnight.toISOString(),
  };
}

/** Alert names derived from health, for `status.alerts` and the fleet monitor. */
export function alertsFrom(h: DeviceHealth): string[] {
  const alerts: string[] = [];
  if (h.reader.status !== 'ok' && h.reader.status !== 'none') alerts.push(`reader_${h.reader.status}`);
  if (h.sam === 'absent' || h.sam === 'locked') alerts.push(`sam_${h.sam}`);
  if (h.sensor.status === 'absent' || h.sensor.status === 'error') alerts.push(`sensor_${h.sensor.status}`);
  if (!h.printer.online) alerts.push('printer_offline');
  if (h.printer.paper === 'out') alerts.push('paper_out');
  if (h.printer.coverOpen === true) alerts.push('printer_cover_open');
  if (h.panel?.status === 'error') alerts.push('panel_fault');
  if (h.scanner?.status === 'error') alerts.push('scanner_fault');
  if (h.keypad?.status === 'error') alerts.push('keypad_fault');
  if (h.ledger?.status === 'tampered') alerts.push('ledger_tampered');
  if (h.caseOpen === true) alerts.push('case_open');
  if (h.clockSynced === false) alerts.push('clock_not_synced');
  return alerts;
}

/**
 * Last gate before publishing: a run of 16 digits is what a NIK looks like (domain brief §1.2),
 * and no legitimate field of ours has one. Returns a reason string, or null when clean.
 */
export function findPersonalData(json: string): string | null {
  if (/\d{16}/.test(json)) return 'nik_like_digits';
  if (/"(nik|nama|namaLengkap|fullName|photo|foto|signature|template|image)"\s*:/i.test(json)) return 'personal_field_name';
  return null;
}
