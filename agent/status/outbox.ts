import type { Database, Statement } from 'better-sqlite3';
import { applyMigrations } from '../ledger/migrate.ts';
import type { CounterEvent, CounterEventType } from '../events.ts';
import { toEventPayload } from './payloads.ts';
import type { EventPayload, OutboxHealth } from './types.ts';

/**
 * Store-and-forward queue for `event` messages (domain brief §3, pain point 18), in the agent's one
 * SQLite file so an event commits in the same transaction as the state change it reports.
 *
 * Ordering: rows are delivered in insertion order (INTEGER PRIMARY KEY) and only deleted after the
 * broker's PUBACK, so a crash or broker outage means "send again", never "lost". Each row carries
 * (bootId, seq); seq is per boot, starts at 1, and is allocated in the same SQLite transaction as
 * the row, so a rolled-back counter transaction leaves no gap that a consumer would report as loss.
 *
 * When full (maxEvents rows): the oldest non-critical event is dropped (faults, cancellations,
 * unreadable cards: their lasting effect is already in `health` and `metrics`); only when every row
 * is critical (verification, handover, docs_returned, tamper) does the oldest critical one go.
 * enqueue never refuses: it runs inside the counter's transaction and the custody ledger, not MQTT,
 * is the record of truth, so monitoring must not be able to block a handover. Every drop is
 * counted in `outbox.dropped` on the health topic and logged by the publisher.
 */

const CRITICAL: ReadonlySet<CounterEventType> = new Set(['verification', 'handover', 'docs_returned', 'tamper']);

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE mqtt_outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     boot_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     critical INTEGER NOT NULL,
     payload TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (boot_id, seq)
   );
   CREATE INDEX mqtt_outbox_noncritical ON mqtt_outbox (critical, id);
   CREATE TABLE mqtt_outbox_state (
     key TEXT PRIMARY KEY,
     value INTEGER NOT NULL
   );
   CREATE TABLE mqtt_outbox_seq (
     boot_id TEXT PRIMARY KEY,
     last_seq INTEGER NOT NULL
   );`,
];

export interface OutboxRow {
  readonly id: number;
  readonly payload: EventPayload;
  /** The exact JSON text that was stored; published byte for byte. */
  readonly json: string;
}

export interface EnqueueResult {
  readonly seq: number;
  /** Number of older events dropped to make room (0 unless the outbox was full). */
  readonly dropped: number;
}

export class Outbox {
  readonly bootId: string;
  readonly maxEvents: number;
  private readonly db: Database;
  private readonly stmts: {
    nextSeq: Statement<[string]>;
    insert: Statement<[string, number, number, string, string]>;
    count: Statement<[]>;
    dropNonCritical: Statement<[]>;
    dropOldest: Statement<[]>;
    addDropped: Statement<[number]>;
    dropped: Statement<[]>;
    peek: Statement<[number, number]>;
    ack: Statement<[number]>;
    oldest: Statement<[]>;
  };
  private readonly enqueueTx: (e: CounterEvent) => EnqueueResult;
  private depthCache: number;
  private listeners = new Set<() => void>();

  constructor(db: Database, opts: { bootId: string; maxEvents?: number }) {
    this.db = db;
    this.bootId = opts.bootId;
    this.maxEvents = opts.maxEvents ?? 10_000;
    if (!Number.isInteger(this.maxEvents) || this.maxEvents < 1) throw new RangeError('outbox maxEvents must be >= 1');
    applyMigrations(db, 'mqtt_outbox', MIGRATIONS);
    // Older boots' counters are finished: their rows keep their own (bootId, seq).
    db.prepare('DELETE FROM mqtt_outbox_seq WHERE boot_id <> ?').run(this.bootId);
    db.prepare('INSERT OR IGNORE INTO mqtt_outbox_seq (boot_id, last_seq) VALUES (?, 0)').run(this.bootId);
    this.stmts = {
      nextSeq: db.prepare('UPDATE mqtt_outbox_seq SET last_seq = last_seq + 1 WHERE boot_id = ? RETURNING last_seq'),
      insert: db.prepare(
        'INSERT INTO mqtt_outbox (boot_id, seq, critical, payload, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      count: db.prepare('SELECT COUNT(*) AS n FROM mqtt_outbox'),
      dropNonCritical: db.prepare(
        'DELETE FROM mqtt_outbox WHERE id = (SELECT id FROM mqtt_outbox WHERE critical = 0 ORDER BY id LIMIT 1)',
      ),
      dropOldest: db.prepare('DELETE FROM mqtt_outbox WHERE id = (SELECT MIN(id) FROM mqtt_outbox)'),
      addDropped: db.prepare(
        `INSERT INTO mqtt_outbox_state (key, value) VALUES ('dropped', ?)
         ON CONFLICT(key) DO UPDATE SET value = value + excluded.value`,
      ),
      dropped: db.prepare(`SELECT value FROM mqtt_outbox_state WHERE key = 'dropped'`),
      peek: db.prepare('SELECT id, payload FROM mqtt_outbox WHERE id > ? ORDER BY id LIMIT ?'),
      ack: db.prepare('DELETE FROM mqtt_outbox WHERE id = ?'),
      oldest: db.prepare('SELECT created_at FROM mqtt_outbox ORDER BY id LIMIT 1'),
    };
    this.depthCache = this.countRows();
    // db.transaction nests as a savepoint when the caller already holds a transaction, so the
    // event rolls back together with the caller's state change.
    this.enqueueTx = db.transaction((e: CounterEvent): EnqueueResult => {
      let dropped = 0;
      let depth = this.countRows();
      while (depth >= this.maxEvents) {
        const r = this.stmts.dropNonCritical.run();
        if (r.changes === 0) this.stmts.dropOldest.run();
        dropped++;
        depth--;
      }
      if (dropped > 0) this.stmts.addDropped.run(dropped);
      const { last_seq: seq } = this.stmts.nextSeq.get(this.bootId) as { last_seq: number };
      const payload = toEventPayload(e, this.bootId, seq);
      this.stmts.insert.run(this.bootId, seq, CRITICAL.has(e.type) ? 1 : 0, JSON.stringify(payload), new Date().toISOString());
      return { seq, dropped };
    });
  }

  /**
   * Writes one event, synchronously. Call it inside the counter's own `db.transaction` so the event
   * exists exactly when the state change does; then call `publisher.drain()` after the commit.
   * Throws PayloadError (and so rolls the caller back) only for an event that breaks the schema.
   */
  enqueue(e: CounterEvent): EnqueueResult {
    const r = this.enqueueTx(e);
    // Depth is re-read rather than tracked: the caller's transaction may still roll back.
    this.depthCache = -1;
    for (const l of this.listeners) l();
    return r;
  }

  /** Called after every enqueue (the publisher uses it to schedule a drain). */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Oldest undelivered rows with id greater than `afterId`, in delivery order. */
  peek(limit: number, afterId = 0): OutboxRow[] {
    const rows = this.stmts.peek.all(afterId, limit) as { id: number; payload: string }[];
    return rows.map((r) => ({ id: r.id, json: r.payload, payload: JSON.parse(r.payload) as EventPayload }));
  }

  /** Deletes a row once the broker has acknowledged it. Acking an unknown id is harmless. */
  ack(id: number): void {
    this.stmts.ack.run(id);
    this.depthCache = -1;
  }

  /** Acknowledges a delivered prefix in one SQLite transaction (one fsync instead of N). */
  ackMany(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const id of ids) this.stmts.ack.run(id);
    })();
    this.depthCache = -1;
  }

  depth(): number {
    if (this.depthCache < 0 || this.db.inTransaction) this.depthCache = this.countRows();
    return this.depthCache;
  }

  health(now = new Date()): OutboxHealth {
    const oldest = this.stmts.oldest.get() as { created_at: string } | undefined;
    const dropped = (this.stmts.dropped.get() as { value: number } | undefined)?.value ?? 0;
    return {
      depth: this.depth(),
      dropped,
      oldestAgeS: oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest.created_at)) / 1000)) : null,
    };
  }

  private countRows(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }
}
