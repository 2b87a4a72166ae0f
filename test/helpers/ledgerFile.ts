import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { REPO } from './cli.ts';

/** Rows of a read-only query on a ledger file (its own connection, closed after). */
export function query<T>(file: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** Another program (not the agent) writes SQL into the ledger file: a second process, its own connection. */
export function foreignSql(path: string, sql: string): void {
  const script = `import Database from 'better-sqlite3'; const db = new Database(${JSON.stringify(path)}); db.exec(${JSON.stringify(sql)}); db.close();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}
