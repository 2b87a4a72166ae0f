import type { Database } from 'better-sqlite3';
import { CounterError } from '../errors.ts';
import type { VerifiedRoster } from '../roster/signedRoster.ts';
import { appendAudit, chainHead, readSeal } from './audit.ts';
import type { ChainKey } from './chainKey.ts';
import { LedgerError } from './errors.ts';
import { residentDigest, residentPublicDigest } from './digest.ts';
import { applyMigrations } from './migrate.ts';
import { reconcile, type Reconciliation } from './reconcile.ts';
import { BATCH_MIGRATIONS, CARD_DELIVERY_MIGRATIONS, DAY_CLOSE_MIGRATIONS, LEDGER_MIGRATIONS } from './schema.ts';
import type { ItemKind, ItemState, Resident, StoredTransaction, Ticket } from './types.ts';

interface ResidentRow {
  id: number;
  nik: string;
  name: string;
  letter_no: string;
  card_uid: string;
  validation_json: string;
}

interface TicketRow {
  id: number;
  number: string;
  day: string;
  resident_id: number;
  state: Ticket['state'];
  calls: number;
  issued_at: string;
}

const toResident = (r: ResidentRow): Resident => ({
  id: r.id,
  nik: r.nik,
  name: r.name,
  letterNo: r.letter_no,
  cardUid: r.card_uid,
  validationJson: r.validation_json,
});

const toTicket = (r: TicketRow): Ticket => ({
  id: r.id,
  number: r.number,
  day: r.day,
  residentId: r.resident_id,
  state: r.state,
  calls: r.calls,
  issuedAt: r.issued_at,
});

/**
 * The custody ledger: who holds which physical item, which tickets wait, which transaction is
 * open. Every method is synchronous (better-sqlite3) so a caller can group several into one
 * atomic SQLite transaction with `atomically()`; a power cut then leaves all or none of them.
 */
let databaseOf: (ledger: Ledger) => Database;

/**
 * The ledger's SQLite handle, for the ledger's own modules (agent/ledger/: batches, reports,
 * metrics, retention) only. Everyone else goes through Ledger's methods or owns their own tables
 * (PrintQueue, the status outbox); eslint.config.js refuses this import outside agent/ledger/.
 */
export function ledgerDatabase(ledger: Ledger): Database {
  return databaseOf(ledger);
}

export class Ledger {
  private readonly dayFormat: Intl.DateTimeFormat;
  /** The device's chain key; null only for an unsealed ledger (in-memory tests, read-only checks). */
  readonly chainKey: ChainKey | null;
  readonly #db: Database;
  static {
    databaseOf = (ledger) => ledger.#db;
  }

  constructor(
    db: Database,
    readonly now: () => Date,
    timezone: string,
    opts: { readonly?: boolean; chainKey?: ChainKey | null } = {},
  ) {
    this.#db = db;
    // One formatter: the daily report asks for the local day of every custody event.
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.chainKey = opts.chainKey ?? null;
    // A read-only handle (verify-ledger, reports on a copy) must not migrate the file it checks.
    if (opts.readonly) return;
    applyMigrations(db, 'ledger', LEDGER_MIGRATIONS);
    applyMigrations(db, 'batches', BATCH_MIGRATIONS);
    applyMigrations(db, 'day_close', DAY_CLOSE_MIGRATIONS);
    applyMigrations(db, 'card_delivery', CARD_DELIVERY_MIGRATIONS);
    const seal = readSeal(db);
    if (seal && !this.chainKey) throw new LedgerError('LEDGER_KEY_MISSING', 'the ledger is sealed; its chain key is needed to write to it');
    if (seal && this.chainKey && seal.keyId !== this.chainKey.id) {
      throw new LedgerError('LEDGER_KEY_MISMATCH', `the ledger was sealed with key ${seal.keyId}, not this device's key ${this.chainKey.id}`);
    }
    if (!seal && this.chainKey) {
      // Only a brand-new ledger is sealed: an unsealed one with history was made without init.
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
      if (rows > 0) throw new LedgerError('LEDGER_TAMPERED', 'the ledger has history but no chain seal (seal removed, or not made by `ektp-agent init`)');
      this.atomically(() => {
        db.prepare("INSERT INTO ledger_meta (key, value) VALUES ('chain_key_id', ?)").run(this.chainKey!.id);
        this.audit('ledger_sealed', null, { keyId: this.chainKey!.id });
      });
    }
  }

  atomically<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** Local calendar day at the site, for queue numbering and daily reports. */
  day(at: Date = this.now()): string {
    return this.dayFormat.format(at);
  }

  audit(action: string, txId: string | null, data: Record<string, unknown>): void {
    appendAudit(this.#db, this.stamp(), action, txId, data, this.chainKey);
  }

  // ---- roster ------------------------------------------------------------------------------

  /** Whether a roster batch is already in the ledger (imports are once per batch). */
  rosterImported(batchId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM roster_imports WHERE batch_id = ?').get(batchId) !== undefined;
  }

  /**
   * `cardStore: false` on a counter of a multi-counter office: the residents are known here, but
   * the e-KTPs are in the office's card store at the intake desk and come over one by one.
   */
  importRoster(roster: VerifiedRoster, opts: { cardStore?: boolean } = {}): number {
    const p = roster.payload;
    return this.atomically(() => {
      if (this.#db.prepare('SELECT 1 FROM roster_imports WHERE batch_id = ?').get(p.batchId)) {
        throw new CounterError('ROSTER_ALREADY_IMPORTED', `roster batch ${p.batchId} was already imported`);
      }
      const at = this.stamp();
      const importId = Number(
        this.#db
          .prepare('INSERT INTO roster_imports (batch_id, site_id, key_id, sha256, entries, delivered_at, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(p.batchId, p.siteId, roster.keyId, roster.sha256, p.entries.length, p.deliveredAt, at).lastInsertRowid,
      );
      const insertResident = this.#db.prepare(
        'INSERT INTO residents (import_id, nik, name, letter_no, card_uid, validation_json) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const e of p.entries) {
        const clash = this.#db
          .prepare('SELECT 1 FROM residents WHERE nik = ? OR letter_no = ? OR card_uid = ?')
          .get(e.validation.nik, e.letterNo, e.cardUid);
        if (clash) {
          throw new CounterError('ROSTER_INVALID', `roster batch ${p.batchId} repeats a NIK, letter or card already in the ledger`);
        }
        const residentId = Number(
          insertResident.run(importId, e.validation.nik, e.validation.name, e.letterNo, e.cardUid, JSON.stringify(e.validation)).lastInsertRowid,
        );
        if (opts.cardStore !== false) this.createItem('ektp', residentId, e.cardUid, 'on_hand', null, 'roster_delivery');
      }
      const rows = this.#db.prepare('SELECT id, nik, name, letter_no, card_uid, validation_json FROM residents WHERE import_id = ?').all(importId) as Parameters<
        typeof residentDigest
      >[0][];
      this.audit('roster_imported', null, {
        batchId: p.batchId,
        entries: p.entries.length,
        sha256: roster.sha256,
        keyId: roster.keyId,
        residents: rows.map((r) => [r.id, residentDigest(r), residentPublicDigest(r)]),
      });
      return p.entries.length;
    });
  }

  residentById(id: number): Resident {
    const r = this.#db.prepare('SELECT * FROM residents WHERE id = ?').get(id) as ResidentRow | undefined;
    if (!r) throw new CounterError('LEDGER_INCONSISTENT', `resident ${id} is missing`);
    return toResident(r);
  }

  residentByNik(nik: string): Resident | null {
    const r = this.#db.prepare('SELECT * FROM residents WHERE nik = ?').get(nik) as ResidentRow | undefined;
    return r ? toResident(r) : null;
  }

  residentByLetter(letterNo: string): Resident | null {
    const r = this.#db.prepare('SELECT * FROM residents WHERE letter_no = ?').get(letterNo) as ResidentRow | undefined;
    return r ? toResident(r) : null;
  }

  // ---- custody -----------------------------------------------------------------------------

  private createItem(kind: ItemKind, residentId: number | null, ref: string, state: string, txId: string | null, reason: string): number {
    const at = this.stamp();
    const id = Number(
      this.#db.prepare('INSERT INTO items (kind, resident_id, ref, state, updated_at) VALUES (?, ?, ?, ?, ?)').run(kind, residentId, ref, state, at)
        .lastInsertRowid,
    );
    this.#db
      .prepare('INSERT INTO custody_events (item_id, from_state, to_state, tx_id, reason, at) VALUES (?, NULL, ?, ?, ?, ?)')
      .run(id, state, txId, reason, at);
    this.audit('custody', txId, { item: id, kind, from: null, to: state, reason });
    return id;
  }

  /** How many items of a kind are in a state, e.g. the e-KTPs on hand for the day's count. */
  itemCount<K extends ItemKind>(kind: K, state: ItemState<K>): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM items WHERE kind = ? AND state = ?').get(kind, state) as { n: number }).n;
  }

  itemState(kind: ItemKind, ref: string): string | null {
    const r = this.#db.prepare('SELECT state FROM items WHERE kind = ? AND ref = ?').get(kind, ref) as { state: string } | undefined;
    return r?.state ?? null;
  }

  /** Moves an existing item, or creates it when `createIfMissing` (e.g. the receipt). */
  move<K extends ItemKind>(kind: K, ref: string, to: ItemState<K>, txId: string | null, reason: string, residentId?: number): void {
    const row = this.#db.prepare('SELECT id, state FROM items WHERE kind = ? AND ref = ?').get(kind, ref) as { id: number; state: string } | undefined;
    if (!row) {
      if (residentId === undefined) throw new CounterError('LEDGER_INCONSISTENT', `no ${kind} item ${ref} to move`);
      this.createItem(kind, residentId, ref, to, txId, reason);
      return;
    }
    if (row.state === to) return;
    const at = this.stamp();
    this.#db.prepare('UPDATE items SET state = ?, updated_at = ? WHERE id = ?').run(to, at, row.id);
    this.#db
      .prepare('INSERT INTO custody_events (item_id, from_state, to_state, tx_id, reason, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.id, row.state, to, txId, reason, at);
    this.audit('custody', txId, { item: row.id, kind, from: row.state, to, reason });
  }

  // ---- queue -------------------------------------------------------------------------------

  /**
   * Intake: the resident hands over the old KTP and the summons letter and gets a queue number.
   * Refuses letters not on the roster, cards already issued or retained, and a second ticket.
   */
  intake(
    letterNo: string,
    prefix: string,
    oldKtp: { lossReport: string } | 'held' = 'held',
    clock: { synced: boolean | null } = { synced: true },
  ): { ticket: Ticket; resident: Resident } {
    return this.atomically(() => {
      // close-day closed intake for the rest of the day (agent/ledger/dayClose.ts).
      const day = this.day();
      if (this.#db.prepare('SELECT 1 FROM day_closes WHERE day = ?').get(day)) {
        throw new CounterError('DAY_CLOSED', `the service day ${day} is closed; intake opens again tomorrow`, { detail: { day } });
      }
      const resident = this.residentByLetter(letterNo);
      if (!resident) throw new CounterError('LETTER_UNKNOWN', 'summons letter is not on the roster of this site');
      this.checkIntake(resident);
      const seq = this.nextQueueSeq(day, clock.synced !== false);
      const number = `${prefix}-${String(seq).padStart(3, '0')}`;
      const at = this.stamp();
      const lossReport = oldKtp === 'held' ? null : oldKtp.lossReport;
      const id = Number(
        this.#db
          .prepare("INSERT INTO tickets (number, day, resident_id, state, issued_at, old_ktp_loss_report, seq, clock_synced) VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?)")
          .run(number, day, resident.id, at, lossReport, seq, clock.synced === false ? 0 : 1).lastInsertRowid,
      );
      // "KTP lama hilang": no old KTP comes into custody; the police report number stands for it.
      if (lossReport === null) this.move('old_ktp', resident.letterNo, 'held', null, 'intake', resident.id);
      this.move('letter', resident.letterNo, 'held', null, 'intake', resident.id);
      this.move('queue_ticket', `${day}/${number}`, 'with_resident', null, 'intake', resident.id);
      this.audit('intake', null, { ticket: id, resident: resident.id });
      return { ticket: this.ticket(id), resident };
    });
  }

  /**
   * The intake desk's refusals, before anything is recorded: the e-KTP already handed over or
   * retained, or the resident already holding a number today.
   */
  checkIntake(resident: Resident): void {
    const card = this.itemState('ektp', resident.cardUid);
    if (card === 'issued') throw new CounterError('ALREADY_ISSUED', 'the e-KTP for this letter was already handed over');
    if (card !== 'on_hand') throw new CounterError('ALREADY_ISSUED', 'the e-KTP for this letter is no longer on hand (retained)');
    const open = this.#db.prepare("SELECT 1 FROM tickets WHERE resident_id = ? AND state IN ('waiting', 'called')").get(resident.id);
    if (open) throw new CounterError('ALREADY_QUEUED', 'this resident already holds a queue number');
  }

  /** The police loss-report number recorded at intake in place of the old KTP, or null. */
  oldKtpLossReport(ticketId: number): string | null {
    const r = this.#db.prepare('SELECT old_ktp_loss_report AS r FROM tickets WHERE id = ?').get(ticketId) as { r: string | null } | undefined;
    return r?.r ?? null;
  }

  /** The office claim a counter's ticket came from, or null for a ticket of this box's own queue. */
  ticketClaimId(ticketId: number): string | null {
    const r = this.#db.prepare('SELECT claim_id AS c FROM tickets WHERE id = ?').get(ticketId) as { c: string | null } | undefined;
    return r?.c ?? null;
  }

  ticket(id: number): Ticket {
    const r = this.#db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined;
    if (!r) throw new CounterError('LEDGER_INCONSISTENT', `ticket ${id} is missing`);
    return toTicket(r);
  }

  /**
   * The running queue number. It starts again at 1 only on a new business day told by a synced
   * clock (after a synced ticket of another day): a Pi without RTC boots on a stale time, and
   * restarting the numbers then would hand out a second A-001 on the same real day. Before sync
   * the numbers just go on, and never clash with a number already on the clock's day.
   */
  private nextQueueSeq(day: string, synced: boolean): number {
    const last = this.#db.prepare('SELECT day, seq, clock_synced FROM tickets ORDER BY id DESC LIMIT 1').get() as
      | { day: string; seq: number | null; clock_synced: number }
      | undefined;
    const onDay = (this.#db.prepare('SELECT MAX(seq) AS n FROM tickets WHERE day = ?').get(day) as { n: number | null }).n ?? 0;
    if (!last) return 1;
    if (synced && last.clock_synced === 1 && last.day !== day) return onDay + 1;
    return Math.max(last.seq ?? 0, onDay) + 1;
  }

  /** The head of the queue in order of arrival (the ticket's row), not of a wall clock that may step. */
  nextWaiting(): Ticket | null {
    const r = this.#db.prepare("SELECT * FROM tickets WHERE state = 'waiting' ORDER BY id LIMIT 1").get() as TicketRow | undefined;
    return r ? toTicket(r) : null;
  }

  waitingCount(): number {
    return (this.#db.prepare("SELECT COUNT(*) AS n FROM tickets WHERE state = 'waiting'").get() as { n: number }).n;
  }

  setTicketState(id: number, state: Ticket['state'], countCall = false): void {
    this.#db
      .prepare('UPDATE tickets SET state = ?, calls = calls + ?, called_at = CASE WHEN ? THEN ? ELSE called_at END WHERE id = ?')
      .run(state, countCall ? 1 : 0, countCall ? 1 : 0, this.stamp(), id);
  }

  // ---- transactions ------------------------------------------------------------------------

  createTransaction(txId: string, ticket: Ticket, state: string, stateJson: string): void {
    const at = this.stamp();
    this.#db
      .prepare('INSERT INTO transactions (id, ticket_id, resident_id, state, state_json, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(txId, ticket.id, ticket.residentId, state, stateJson, at, at);
    this.audit('tx_started', txId, { ticket: ticket.id, resident: ticket.residentId });
  }

  saveState(txId: string, state: string, stateJson: string, facts: { attempts?: number; finger?: string | null; referral?: boolean } = {}): void {
    this.#db
      .prepare(
        `UPDATE transactions SET state = ?, state_json = ?, updated_at = ?,
           attempts = COALESCE(?, attempts), finger = COALESCE(?, finger), referral = COALESCE(?, referral)
         WHERE id = ?`,
      )
      .run(state, stateJson, this.stamp(), facts.attempts ?? null, facts.finger ?? null, facts.referral === undefined ? null : facts.referral ? 1 : 0, txId);
    this.audit('tx_state', txId, { state });
  }

  /** The verdict written behind the name on the summons letter; custody moves at the handover. */
  recordVerdict(txId: string, outcome: 'berhasil' | 'gagal' | 'tertunda', reason: string | null): void {
    this.#db.prepare('UPDATE transactions SET outcome = ?, reason = ?, updated_at = ? WHERE id = ?').run(outcome, reason, this.stamp(), txId);
    this.audit('tx_verdict', txId, { outcome, reason });
  }

  closeTransaction(txId: string, outcome: string, reason: string | null): void {
    this.#db
      .prepare("UPDATE transactions SET state = 'CLOSED', outcome = ?, reason = ?, closed_at = ?, updated_at = ? WHERE id = ?")
      .run(outcome, reason, this.stamp(), this.stamp(), txId);
    this.audit('tx_closed', txId, { outcome, reason });
  }

  /** The day's three-way custody check (reconcile.ts). */
  reconcile(): Reconciliation {
    return reconcile(this.#db);
  }

  /** Counts for the record of processing (UU 27/2022): no personal data, only how much is held. */
  personalDataCounts(): { residentsWithPersonalData: number; residentsPurged: number; transactions: number } {
    const count = (sql: string) => (this.#db.prepare(sql).get() as { n: number }).n;
    return {
      residentsWithPersonalData: count('SELECT COUNT(*) AS n FROM residents WHERE purged_at IS NULL'),
      residentsPurged: count('SELECT COUNT(*) AS n FROM residents WHERE purged_at IS NOT NULL'),
      transactions: count('SELECT COUNT(*) AS n FROM transactions'),
    };
  }

  /** Outcome and reason of every transaction, open or closed, oldest first (null before its verdict). */
  /** The audit chain's head (id and MAC): the anchor printed on reports and sent in health. */
  chainHead(): { id: number; hash: string } {
    return chainHead(this.#db);
  }

  transactionOutcomes(): { id: string; outcome: string | null; reason: string | null }[] {
    return this.#db.prepare('SELECT id, outcome, reason FROM transactions ORDER BY started_at').all() as {
      id: string;
      outcome: string | null;
      reason: string | null;
    }[];
  }

  closedTransactions(): { id: string; outcome: string; reason: string | null; attempts: number; finger: string | null }[] {
    return this.#db
      .prepare('SELECT id, outcome, reason, attempts, finger FROM transactions WHERE closed_at IS NOT NULL ORDER BY started_at')
      .all() as { id: string; outcome: string; reason: string | null; attempts: number; finger: string | null }[];
  }

  openTransactions(): StoredTransaction[] {
    const rows = this.#db
      .prepare('SELECT id, ticket_id, resident_id, state, state_json, started_at FROM transactions WHERE closed_at IS NULL ORDER BY started_at')
      .all() as { id: string; ticket_id: number; resident_id: number; state: string; state_json: string; started_at: string }[];
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      residentId: r.resident_id,
      state: r.state,
      stateJson: r.state_json,
      startedAt: r.started_at,
    }));
  }
}
