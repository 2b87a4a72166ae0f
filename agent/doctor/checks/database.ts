import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { describeError, verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'database';

/**
 * `PRAGMA integrity_check` on every SQLite file of the agent, opened read-only so the doctor can
 * never change what it inspects (a WAL database is read with its -wal file, as the agent left it).
 */
export async function checkDatabase(ctx: DoctorContext): Promise<CheckResult> {
  const present = (ctx.dbPaths ?? []).filter((p) => existsSync(p));
  if (present.length === 0) return verdict(CHECK, 'DB_NONE');
  const ok: string[] = [];
  for (const path of present) {
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
      const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        return verdict(CHECK, 'DB_CORRUPT', `${basename(path)}: ${problems.slice(0, 3).join('; ')}`);
      }
      ok.push(basename(path));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const corrupt = code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
      return verdict(CHECK, corrupt ? 'DB_CORRUPT' : 'DB_UNREADABLE', `${basename(path)}: ${describeError(err)}`);
    } finally {
      db?.close();
    }
  }
  return verdict(CHECK, 'DB_OK', ok.join(', '));
}
