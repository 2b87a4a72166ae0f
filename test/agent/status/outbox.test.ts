import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureDatabase } from '../../../agent/ledger/migrate.ts';
import { Outbox } from '../../../agent/status/outbox.ts';
import { PayloadError } from '../../../agent/status/payloads.ts';
import type { CounterEvent, CounterEventType } from '../../../agent/events.ts';

function ev(type: CounterEventType = 'handover', extra: Partial<CounterEvent> = {}): CounterEvent {
  return {
    type,
    txId: randomUUID(),
    result: 'berhasil',
    reason: null,
    attempts: 1,
    finger: 'right_index',
    durationMs: 95_000,
    code: null,
    at: '2026-11-26T08:15:00.000+07:00',
    ...extra,
  };
}

function tempDb(t: Test): { path: string; open: () => Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-outbox-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'agent.db');
  return {
    path,
    open: () => {
      const db = new Database(path);
      configureDatabase(db);
      return db;
    },
  };
}

t.test('Outbox', async (t) => {
  t.test('delivers rows in insertion order with seq 1, 2, 3… per boot', async (t) => {
    const db = new Database(':memory:');
    const box = new Outbox(db, { bootId: 'boot-a' });
    const txIds = [ev(), ev('verification'), ev('printer_fault', { result: 'fault', code: 'PAPER_OUT', finger: null })].map((e) => {
      box.enqueue(e);
      return e.txId;
    });
    const rows = box.peek(10);
    t.same(rows.map((r) => r.payload.seq), [1, 2, 3]);
    t.same(rows.map((r) => r.payload.txId), txIds);
    t.ok(rows.every((r) => r.payload.bootId === 'boot-a'));
    t.equal(box.depth(), 3);
    box.ackMany([rows[0].id, rows[1].id]);
    t.same(box.peek(10).map((r) => r.payload.seq), [3]);
    t.equal(box.depth(), 1);
  });

  t.test('writes the event in the caller transaction, so a rollback leaves neither row nor seq gap', async (t) => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE handover (tx TEXT)');
    const box = new Outbox(db, { bootId: 'boot-a' });
    const handOver = db.transaction((e: CounterEvent, fail: boolean) => {
      db.prepare('INSERT INTO handover VALUES (?)').run(e.txId);
      box.enqueue(e);
      if (fail) throw new Error('printer jammed before commit');
    });
    handOver(ev(), false);
    t.throws(() => handOver(ev(), true), /printer jammed/);
    handOver(ev(), false);
    t.equal((db.prepare('SELECT COUNT(*) AS n FROM handover').get() as { n: number }).n, 2);
    t.same(box.peek(10).map((r) => r.payload.seq), [1, 2], 'rolled-back seq is reused, no gap');
  });

  t.test('a malformed event throws PayloadError and rolls the caller back', async (t) => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE handover (tx TEXT)');
    const box = new Outbox(db, { bootId: 'boot-a' });
    const handOver = db.transaction((e: CounterEvent) => {
      db.prepare('INSERT INTO handover VALUES (?)').run(e.txId);
      box.enqueue(e);
    });
    t.throws(() => handOver(ev('handover', { txId: '3174051203870004' })), PayloadError);
    t.throws(() => handOver(ev('handover', { code: 'Budi Santoso' })), PayloadError);
    t.throws(() => handOver(ev('handover', { reason: 'free text' as never })), PayloadError);
    t.equal((db.prepare('SELECT COUNT(*) AS n FROM handover').get() as { n: number }).n, 0);
    t.equal(box.depth(), 0);
  });

  t.test('keeps only whitelisted fields even when the input object carries personal data', async (t) => {
    const db = new Database(':memory:');
    const box = new Outbox(db, { bootId: 'boot-a' });
    const dirty = { ...ev(), nik: '3174051203870004', name: 'SITI RAHAYU', queueNumber: 'A-017', template: [1, 2] };
    box.enqueue(dirty as CounterEvent);
    const [row] = box.peek(1);
    t.notMatch(row.json, /3174051203870004|SITI|A-017|template/);
    t.same(Object.keys(row.payload).sort(), [
      'at', 'attempts', 'bootId', 'code', 'durationMs', 'finger', 'reason', 'result', 'seq', 'txId', 'type',
    ]);
  });

  t.test('when full drops the oldest non-critical event first, then the oldest critical, and counts drops', async (t) => {
    const db = new Database(':memory:');
    const box = new Outbox(db, { bootId: 'boot-a', maxEvents: 3 });
    box.enqueue(ev('handover')); // seq 1, critical
    box.enqueue(ev('printer_fault', { result: 'fault', code: 'PAPER_OUT' })); // seq 2
    box.enqueue(ev('verification')); // seq 3, critical
    const r = box.enqueue(ev('handover')); // seq 4 -> drops seq 2
    t.equal(r.dropped, 1);
    t.same(box.peek(10).map((x) => x.payload.seq), [1, 3, 4]);
    box.enqueue(ev('handover')); // all critical -> drops seq 1
    t.same(box.peek(10).map((x) => x.payload.seq), [3, 4, 5]);
    t.equal(box.health().dropped, 2);
    t.equal(box.health().depth, 3);
  });

  t.test('survives a restart: old rows keep their boot id and seq, the new boot counts from 1', async (t) => {
    const { open } = tempDb(t);
    const db1 = open();
    const a = new Outbox(db1, { bootId: 'boot-a' });
    a.enqueue(ev());
    a.enqueue(ev());
    db1.close();
    const db2 = open();
    const b = new Outbox(db2, { bootId: 'boot-b' });
    b.enqueue(ev());
    t.same(
      b.peek(10).map((r) => `${r.payload.bootId}/${r.payload.seq}`),
      ['boot-a/1', 'boot-a/2', 'boot-b/1'],
    );
    t.ok((b.health().oldestAgeS ?? -1) >= 0);
    db2.close();
  });

  t.test('refuses a non-positive bound', async (t) => {
    t.throws(() => new Outbox(new Database(':memory:'), { bootId: 'x', maxEvents: 0 }), RangeError);
  });
});
