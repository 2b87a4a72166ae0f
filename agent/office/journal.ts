import type { Database, Statement } from 'better-sqlite3';
import { applyMigrations } from '../ledger/migrate.ts';
import type { JournalBody, JournalMessage } from './protocol.ts';
import { OFFICE_MIGRATIONS } from './schema.ts';

/**
 * Messages to other boxes of the office, written in the caller's SQLite transaction and sent
 * until the receiving box acknowledges them by (bootId, seq). Unlike the status outbox, whose
 * rows go at the broker's PUBACK, a custody move is done only when the other box has applied it:
 * a broker restart or an authority that is away cannot lose one. The receiver dedups by
 * (from, bootId, seq) in office_inbox, so re-sends are harmless.
 */
export class OfficeJournal {
  private readonly stmts: {
    nextSeq: Statement<[string]>;
    insert: Statement<[string, number, string, string, string]>;
    unacked: Statement<[]>;
    ack: Statement<[string, number]>;
    seen: Statement<[string, string, number]>;
    remember: Statement<[string, string, number, string]>;
  };

  constructor(
    private readonly db: Database,
    readonly device: string,
    readonly bootId: string,
  ) {
    applyMigrations(db, 'office', OFFICE_MIGRATIONS);
    db.prepare('INSERT OR IGNORE INTO office_seq (boot_id, last_seq) VALUES (?, 0)').run(bootId);
    this.stmts = {
      nextSeq: db.prepare('UPDATE office_seq SET last_seq = last_seq + 1 WHERE boot_id = ? RETURNING last_seq'),
      insert: db.prepare('INSERT INTO office_journal (boot_id, seq, to_device, body, created_at) VALUES (?, ?, ?, ?, ?)'),
      unacked: db.prepare('SELECT boot_id, seq, to_device, body FROM office_journal ORDER BY id'),
      ack: db.prepare('DELETE FROM office_journal WHERE boot_id = ? AND seq = ?'),
      seen: db.prepare('SELECT 1 FROM office_inbox WHERE from_device = ? AND boot_id = ? AND seq = ?'),
      remember: db.prepare('INSERT INTO office_inbox (from_device, boot_id, seq, at) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Call inside the transaction of the change the message reports. */
  enqueue(to: string, body: JournalBody, at: string): number {
    const { last_seq: seq } = this.stmts.nextSeq.get(this.bootId) as { last_seq: number };
    this.stmts.insert.run(this.bootId, seq, to, JSON.stringify(body), at);
    return seq;
  }

  /** Everything not yet acknowledged, oldest first, as it goes on the wire. */
  unacked(): { to: string; message: JournalMessage }[] {
    return (this.stmts.unacked.all() as { boot_id: string; seq: number; to_device: string; body: string }[]).map((r) => ({
      to: r.to_device,
      message: { kind: 'journal', from: this.device, bootId: r.boot_id, seq: r.seq, body: JSON.parse(r.body) as JournalBody },
    }));
  }

  acked(bootId: string, seq: number): void {
    this.stmts.ack.run(bootId, seq);
  }

  /**
   * Applies an incoming message once: `apply` runs in the same transaction that records
   * (from, bootId, seq) as seen. Returns false for a duplicate (already applied; ack it again).
   */
  receive(m: JournalMessage, at: string, apply: () => void): boolean {
    return this.db.transaction(() => {
      if (this.stmts.seen.get(m.from, m.bootId, m.seq)) return false;
      apply();
      this.stmts.remember.run(m.from, m.bootId, m.seq, at);
      return true;
    })();
  }

  depth(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM office_journal').get() as { n: number }).n;
  }
}
