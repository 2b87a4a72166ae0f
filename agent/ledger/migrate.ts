import type { Database } from 'better-sqlite3';

/**
 * Per-module schema migrations on the one SQLite file. Each module (ledger, print queue, MQTT
 * outbox…) owns an ordered list of SQL steps; step N runs once, inside a transaction together with
 * the bump of its recorded version, so a power cut mid-migration leaves the old version intact.
 * Steps are append-only: never edit a released step, add a new one.
 */
export function applyMigrations(db: Database, module: string, steps: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT version FROM schema_migrations WHERE module = ?').get(module) as
    | { version: number }
    | undefined;
  const current = row?.version ?? 0;
  if (current > steps.length) {
    throw new Error(
      `database schema for "${module}" is version ${current}, newer than this agent knows (${steps.length}); refusing to downgrade`,
    );
  }
  for (let v = current; v < steps.length; v++) {
    db.transaction(() => {
      db.exec(steps[v]);
      db.prepare(
        `INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)
         ON CONFLICT(module) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at`,
      ).run(module, v + 1, new Date().toISOString());
    })();
  }
}

/** Opens settings every store relies on: WAL and synchronous=FULL survive a power cut. */
export function configureDatabase(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}
