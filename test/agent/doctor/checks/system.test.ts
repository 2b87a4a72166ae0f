import t from 'tap';
import { chmodSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkClock } from '../../../../agent/doctor/checks/clock.ts';
import { checkDataDir } from '../../../../agent/doctor/checks/dataDir.ts';
import { checkDisk } from '../../../../agent/doctor/checks/disk.ts';
import { checkDatabase } from '../../../../agent/doctor/checks/database.ts';

t.test('checkClock', async (t) => {
  const at = (iso: string) => () => new Date(iso);
  t.test('passes a sane, NTP-synchronised clock', async (t) => {
    t.match(await checkClock({ now: at('2026-11-27T01:00:00Z'), ntpSynchronized: async () => true }), { code: 'CLOCK_OK', status: 'pass' });
  });
  t.test('fails a clock that booted in 1970 after a power cut', async (t) => {
    const r = await checkClock({ now: at('1970-01-01T00:00:10Z'), ntpSynchronized: async () => true });
    t.match(r, { code: 'CLOCK_WRONG', status: 'fail', detail: /1970/ });
  });
  t.test('fails a date far in the future', async (t) => {
    t.match(await checkClock({ now: at('2135-01-01T00:00:00Z'), ntpSynchronized: async () => true }), { code: 'CLOCK_WRONG' });
  });
  t.test('warns when the clock is not synchronised', async (t) => {
    t.match(await checkClock({ now: at('2026-11-27T01:00:00Z'), ntpSynchronized: async () => false }), { code: 'CLOCK_NOT_SYNCED', status: 'warn' });
  });
  t.test('passes with a note when synchronisation cannot be asked', async (t) => {
    t.match(await checkClock({ now: at('2026-11-27T01:00:00Z'), ntpSynchronized: async () => undefined }), { code: 'CLOCK_UNCHECKED', status: 'pass' });
  });
});

t.test('checkDataDir', async (t) => {
  t.test('passes a directory closed to other users', async (t) => {
    const dir = t.testdir();
    chmodSync(dir, 0o700);
    t.match(await checkDataDir({ dataDir: dir }), { code: 'DATA_DIR_OK', detail: /mode 0700/ });
  });
  t.test('fails a directory other users can read (personal data)', async (t) => {
    const dir = t.testdir();
    chmodSync(dir, 0o755);
    t.match(await checkDataDir({ dataDir: dir }), { code: 'DATA_DIR_OPEN', status: 'fail', detail: /0755/ });
  });
  t.test('fails a missing directory', async (t) => {
    t.match(await checkDataDir({ dataDir: join(t.testdir(), 'nope') }), { code: 'DATA_DIR_MISSING', status: 'fail' });
  });
});

t.test('checkDisk', async (t) => {
  t.test('reports free space of the data directory', async (t) => {
    const r = await checkDisk({ dataDir: t.testdir() });
    t.match(r, { check: 'disk', code: /^DISK_(OK|LOW|FULL)$/, detail: /MB free of \d+ MB/ });
  });
  t.test('fails when the data directory is gone', async (t) => {
    t.match(await checkDisk({ dataDir: join(t.testdir(), 'nope') }), { code: 'DATA_DIR_MISSING' });
  });
});

t.test('checkDatabase', async (t) => {
  const makeDb = (path: string) => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE custody (id INTEGER PRIMARY KEY, item TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO custody (item) VALUES (?)');
    for (let i = 0; i < 2000; i++) insert.run(`ktp-${i}-${'x'.repeat(50)}`);
    db.exec('CREATE INDEX custody_item ON custody (item)');
    db.close();
  };
  t.test('passes a healthy ledger and leaves it unchanged', async (t) => {
    const dir = t.testdir();
    const path = join(dir, 'ledger.db');
    makeDb(path);
    const before = readFileSync(path);
    t.match(await checkDatabase({ dbPaths: [path] }), { code: 'DB_OK', status: 'pass', detail: 'ledger.db' });
    t.ok(readFileSync(path).equals(before), 'opened read-only');
  });
  t.test('passes with a note before the first transaction', async (t) => {
    t.match(await checkDatabase({ dbPaths: [join(t.testdir(), 'ledger.db')] }), { code: 'DB_NONE', status: 'pass' });
  });
  t.test('fails with DB_CORRUPT when pages are damaged', async (t) => {
    const dir = t.testdir();
    const path = join(dir, 'ledger.db');
    makeDb(path);
    // Overwrite the middle of the file (table and index b-tree pages), keeping the header intact.
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 8192, bytes.length - 8192);
    writeFileSync(path, bytes);
    t.match(await checkDatabase({ dbPaths: [path] }), { code: 'DB_CORRUPT', status: 'fail', detail: /^ledger\.db: / });
  });
  t.test('fails with DB_CORRUPT on a file that is not a database at all', async (t) => {
    const dir = t.testdir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'outbox.db');
    writeFileSync(path, 'this is not sqlite '.repeat(100));
    t.match(await checkDatabase({ dbPaths: [path] }), { code: 'DB_CORRUPT', detail: /SQLITE_NOTADB/ });
  });
});
