import type { Database } from 'better-sqlite3';
import type { DecodedDoc } from '../printerEmulator/index.ts';
import { REPRINT_MARK } from '../../../agent/slips/reprint.ts';

/**
 * The after-the-fact checks of the power-loss harness, each from an independent witness: the
 * paper that came out of the printer emulator, the events the broker delivered to a subscriber,
 * and the final SQLite ledger. Pure functions over those records; no agent code is trusted to
 * report on itself.
 */

// ---- paper ------------------------------------------------------------------------------------

export interface Sheet {
  /** Which run of the agent printed it (0-based), and its place in that run's output. */
  readonly run: number;
  readonly index: number;
  readonly text: readonly string[];
  readonly qr: readonly string[];
  readonly complete: boolean;
}

export interface SheetIdentity {
  readonly kind: 'queue_ticket' | 'data_check' | 'result' | 'receipt_resident' | 'receipt_staff' | 'daily_report' | 'unknown';
  /** Queue number, transaction id or day: what makes two sheets "the same slip". */
  readonly key: string;
  readonly reprint: boolean;
}

export function sheetFromDoc(doc: DecodedDoc, run: number, index: number): Sheet {
  const text: string[] = [];
  const qr: string[] = [];
  for (const l of doc.lines) {
    if (l.kind === 'text') text.push(l.text);
    else qr.push(l.data);
  }
  return { run, index, text, qr, complete: doc.complete };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const QUEUE_NUMBER = /^\s*([A-Z]{1,2}-\d{3,})\s*$/;

/** Reads a sheet the way a clerk would: the title says the kind, the number or QR says which one. */
export function identifySheet(sheet: Sheet): SheetIdentity {
  const reprint = sheet.text.some((t) => t.includes(REPRINT_MARK));
  const has = (title: string) => sheet.text.some((t) => t.includes(title));
  const txId = sheet.qr.find((q) => UUID.test(q)) ?? sheet.text.join('\n').match(UUID)?.[0] ?? '?';
  if (has('NOMOR ANTREAN')) {
    const number = sheet.text.map((t) => t.match(QUEUE_NUMBER)?.[1]).find((n) => n !== undefined) ?? '?';
    return { kind: 'queue_ticket', key: number, reprint };
  }
  if (has('PENCOCOKAN DATA KTP-el')) return { kind: 'data_check', key: txId.toLowerCase(), reprint };
  if (has('HASIL VERIFIKASI KTP-el')) return { kind: 'result', key: txId.toLowerCase(), reprint };
  if (has('TANDA TERIMA KTP-el')) return { kind: has('Lembar untuk Penerima') ? 'receipt_resident' : 'receipt_staff', key: txId.toLowerCase(), reprint };
  if (has('LAPORAN HARIAN')) return { kind: 'daily_report', key: 'day', reprint };
  return { kind: 'unknown', key: sheet.text.join('|'), reprint };
}

export interface SheetAudit {
  readonly sheets: number;
  readonly reprintsMarked: number;
  /** Slips whose first paper already carries CETAK ULANG (cut while printing, nothing came out): safe, but worth knowing. */
  readonly markedWithoutOriginal: number;
  readonly incomplete: number;
  /** Copies of a slip already printed, without the CETAK ULANG banner (must be 0). */
  readonly printedTwiceUnmarked: number;
  /** Slips the ledger queued that never came out of the printer (must be 0). */
  readonly missing: number;
  /** Paper the ledger cannot account for (must be 0). */
  readonly unexpected: number;
  readonly findings: readonly string[];
}

export function auditSheets(sheets: readonly Sheet[], db: Database): SheetAudit {
  const findings: string[] = [];
  const groups = new Map<string, { id: SheetIdentity; sheet: Sheet }[]>();
  for (const sheet of sheets) {
    const id = identifySheet(sheet);
    const k = `${id.kind}:${id.key}`;
    groups.set(k, [...(groups.get(k) ?? []), { id, sheet }]);
  }
  let printedTwiceUnmarked = 0;
  for (const [k, copies] of groups) {
    copies.slice(1).forEach(({ id, sheet }) => {
      if (id.reprint) return;
      printedTwiceUnmarked += 1;
      findings.push(`${k}: copy ${copies.indexOf(copies.find((c) => c.sheet === sheet)!) + 1} (run ${sheet.run}, sheet ${sheet.index}) is not marked CETAK ULANG`);
    });
  }

  const expected = new Set<string>();
  for (const t of db.prepare('SELECT number FROM tickets').all() as { number: string }[]) expected.add(`queue_ticket:${t.number}`);
  const jobs = db.prepare("SELECT kind, tx_id FROM print_queue WHERE kind <> 'queue_ticket'").all() as { kind: string; tx_id: string | null }[];
  for (const j of jobs) expected.add(j.kind === 'daily_report' ? 'daily_report:day' : `${j.kind}:${(j.tx_id ?? '?').toLowerCase()}`);
  let missing = 0;
  for (const k of expected) {
    if (groups.has(k)) continue;
    missing += 1;
    findings.push(`${k}: queued in the ledger but never printed`);
  }
  let unexpected = 0;
  for (const k of groups.keys()) {
    if (expected.has(k)) continue;
    unexpected += 1;
    findings.push(`${k}: printed but the ledger never queued it`);
  }
  const all = [...groups.values()].flat();
  return {
    sheets: sheets.length,
    reprintsMarked: all.filter((c) => c.id.reprint).length,
    markedWithoutOriginal: [...groups.values()].filter((copies) => copies[0].id.reprint).length,
    incomplete: sheets.filter((s) => !s.complete).length,
    printedTwiceUnmarked,
    missing,
    unexpected,
    findings,
  };
}

// ---- events -----------------------------------------------------------------------------------

export interface ReceivedEvent {
  readonly bootId: string;
  readonly seq: number;
  readonly txId: string;
  readonly type: string;
}

export interface EventAudit {
  readonly received: number;
  readonly required: number;
  /** Events the final ledger says must exist that never arrived (must be 0). */
  readonly lost: number;
  /** Same (txId, type) under a different (bootId, seq): a consumer deduplicating by (bootId, seq) sees it twice (must be 0). */
  readonly duplicated: number;
  /** Every arrival beyond the first of a (txId, type), including the same (bootId, seq) again. */
  readonly duplicatedRaw: number;
  /** Same (bootId, seq) delivered again (QoS 1 at-least-once after a cut before the ack): expected, harmless. */
  readonly redelivered: number;
  /** Arrived but the ledger has no closed transaction that explains it. */
  readonly unexpected: number;
  /** Device fault and recovery events (agent/faults.ts): reported, not tied to an outcome. */
  readonly deviceFaults: number;
  readonly findings: readonly string[];
}

const DEVICE_FAULT_EVENTS: ReadonlySet<string> = new Set(['printer_fault', 'reader_fault', 'sensor_fault', 'tamper']);

/** The events a closed transaction must have produced, from its outcome alone. */
export function requiredEvents(tx: { outcome: string; reason: string | null }): string[] {
  if (tx.outcome === 'berhasil') return ['verification', 'handover'];
  if (tx.outcome === 'gagal') return [tx.reason === 'sig_invalid' ? 'card_unreadable' : 'verification', 'docs_returned'];
  if (tx.outcome === 'tertunda') return ['unverified', 'unverified_closed'];
  return ['cancelled'];
}

export function auditEvents(received: readonly ReceivedEvent[], db: Database): EventAudit {
  const findings: string[] = [];
  const required = new Set<string>();
  const closed = db.prepare('SELECT id, outcome, reason FROM transactions WHERE closed_at IS NOT NULL').all() as { id: string; outcome: string; reason: string | null }[];
  for (const tx of closed) for (const type of requiredEvents(tx)) required.add(`${tx.id.toLowerCase()}:${type}`);

  const byDelivery = new Map<string, number>();
  const raw = new Map<string, number>();
  const unique = new Map<string, Set<string>>();
  let deviceFaults = 0;
  for (const e of received) {
    const delivery = `${e.bootId}#${e.seq}`;
    const key = `${e.txId.toLowerCase()}:${e.type}`;
    byDelivery.set(delivery, (byDelivery.get(delivery) ?? 0) + 1);
    // A device fault (a printer slow to answer its status on a loaded box, say) is sent once when
    // it starts and once when it ends, under whatever transaction is open: no custody outcome
    // requires or explains it, so it is counted, not matched against the closed transactions.
    if (DEVICE_FAULT_EVENTS.has(e.type)) {
      deviceFaults += 1;
      continue;
    }
    raw.set(key, (raw.get(key) ?? 0) + 1);
    unique.set(key, (unique.get(key) ?? new Set()).add(delivery));
  }
  let redelivered = 0;
  for (const n of byDelivery.values()) redelivered += n - 1;
  let duplicatedRaw = 0;
  for (const n of raw.values()) duplicatedRaw += n - 1;
  let duplicated = 0;
  for (const [key, deliveries] of unique) {
    if (deliveries.size < 2) continue;
    duplicated += deliveries.size - 1;
    findings.push(`event ${key} arrived as ${[...deliveries].join(', ')}`);
  }
  let lost = 0;
  for (const key of required) {
    if (unique.has(key)) continue;
    lost += 1;
    findings.push(`event ${key} never arrived`);
  }
  let unexpected = 0;
  for (const key of unique.keys()) {
    if (required.has(key)) continue;
    unexpected += 1;
    findings.push(`event ${key} arrived but no closed transaction explains it`);
  }
  return { received: received.length, required: required.size, lost, duplicated, duplicatedRaw, redelivered, unexpected, deviceFaults, findings };
}

// ---- custody ----------------------------------------------------------------------------------

export interface CustodyAudit {
  readonly transactions: number;
  /** Required moves of closed transactions with no custody event (must be 0). */
  readonly lost: number;
  /** Required moves recorded more than once (must be 0). */
  readonly duplicated: number;
  /** Items whose events do not form one chain (an item in two states at once) (must be 0). */
  readonly chainBreaks: number;
  readonly findings: readonly string[];
}

type Move = readonly [kind: string, ref: string, to: string];

/**
 * Replays the final ledger: every closed transaction recorded each move its outcome requires
 * exactly once, under its own id, on the physical item it concerns; no transaction moved an item
 * to the same state twice; and every item's events form one chain (each move starts where the
 * last one ended). An item may legitimately pass a state twice across transactions: recovery hands
 * the queue number of an interrupted transaction back, and the next one collects it again.
 */
export function auditCustody(db: Database): CustodyAudit {
  const findings: string[] = [];
  const closed = db
    .prepare(
      `SELECT t.id, t.outcome, t.reason, r.letter_no, r.card_uid, k.day, k.number
       FROM transactions t JOIN residents r ON r.id = t.resident_id JOIN tickets k ON k.id = t.ticket_id
       WHERE t.closed_at IS NOT NULL`,
    )
    .all() as { id: string; outcome: string; reason: string | null; letter_no: string; card_uid: string; day: string; number: string }[];
  const count = db.prepare(
    'SELECT COUNT(*) AS n FROM custody_events e JOIN items i ON i.id = e.item_id WHERE e.tx_id = ? AND i.kind = ? AND i.ref = ? AND e.to_state = ?',
  );
  let lost = 0;
  let duplicated = 0;
  for (const tx of closed) {
    const queue = `${tx.day}/${tx.number}`;
    const moves: Move[] =
      tx.outcome === 'berhasil'
        ? [['ektp', tx.card_uid, 'issued'], ['old_ktp', tx.letter_no, 'kept'], ['letter', tx.letter_no, 'kept'], ['queue_ticket', queue, 'kept'], ['receipt', tx.id, 'kept']]
        : tx.outcome === 'gagal'
          ? [['ektp', tx.card_uid, 'retained'], ['old_ktp', tx.letter_no, 'returned'], ['letter', tx.letter_no, 'returned'], ['queue_ticket', queue, 'kept']]
          : tx.outcome === 'tertunda'
            ? [['queue_ticket', queue, 'kept']]
            : tx.reason === 'operator_abort' || tx.reason === 'already_issued'
            ? [['old_ktp', tx.letter_no, 'returned'], ['letter', tx.letter_no, 'returned'], ['queue_ticket', queue, 'kept']]
            : [];
    for (const [kind, ref, to] of moves) {
      const n = (count.get(tx.id, kind, ref, to) as { n: number }).n;
      // More than one is counted below, with every other repeated move.
      if (n > 0) continue;
      lost += 1;
      findings.push(`transaction ${tx.id} (${tx.outcome}): ${kind} never moved to ${to}`);
    }
  }

  const events = db
    .prepare('SELECT e.item_id, e.from_state, e.to_state, e.tx_id, i.kind FROM custody_events e JOIN items i ON i.id = e.item_id ORDER BY e.id')
    .all() as { item_id: number; from_state: string | null; to_state: string; tx_id: string | null; kind: string }[];
  const lastState = new Map<number, string>();
  const entered = new Map<string, number>();
  let chainBreaks = 0;
  for (const e of events) {
    const prev = lastState.get(e.item_id) ?? null;
    if (e.from_state !== prev) {
      chainBreaks += 1;
      findings.push(`${e.kind} item ${e.item_id}: moved from ${e.from_state} while it was ${prev}`);
    }
    lastState.set(e.item_id, e.to_state);
    if (e.tx_id === null) continue;
    const k = `${e.tx_id} moved ${e.kind} item ${e.item_id} to ${e.to_state}`;
    entered.set(k, (entered.get(k) ?? 0) + 1);
  }
  for (const [k, n] of entered) {
    if (n < 2) continue;
    duplicated += n - 1;
    findings.push(`transaction ${k} ${n} times`);
  }
  return { transactions: closed.length, lost, duplicated, chainBreaks, findings };
}
