import t from 'tap';
import Database from 'better-sqlite3';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';
import { loadTrustedKeys, verifyRoster } from '../../../agent/roster/signedRoster.ts';
import { DEV_KEY_ID } from '../../../agent/roster/devKey.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

t.test('Ledger', async (t) => {
  t.test('imports a roster with one e-KTP on hand per entry', async (t) => {
    const { ledger, residents, db } = ledgerWithRoster(3);
    t.equal(ledger.itemState('ektp', residents[0].cardUid), 'on_hand');
    const r = reconcile(db);
    t.ok(r.ok, r.problems.join('; '));
    t.same(r.items.ektp, { received: 3, byState: { on_hand: 3, with_operator: 0, with_support: 0, issued: 0, retained: 0, sent_for_destruction: 0, not_delivered: 0 }, ok: true });
  });
  t.test('refuses the same roster batch twice and changes nothing', async (t) => {
    const { ledger, residents, db } = ledgerWithRoster(2);
    const again = verifyRoster(virtualRoster(residents, 'kec-demo', 'B-1', '2026-11-26T00:00:00Z'), loadTrustedKeys([DEV_KEY_ID]));
    t.throws(() => ledger.importRoster(again), { code: 'ROSTER_ALREADY_IMPORTED' });
    t.equal((db.prepare('SELECT COUNT(*) AS n FROM residents').get() as { n: number }).n, 2);
  });
  t.test('refuses a second batch that repeats a NIK, atomically', async (t) => {
    const { ledger, residents, db } = ledgerWithRoster(2);
    const dup = verifyRoster(virtualRoster(residents, 'kec-demo', 'B-2', '2026-11-26T00:00:00Z'), loadTrustedKeys([DEV_KEY_ID]));
    t.throws(() => ledger.importRoster(dup), { code: 'ROSTER_INVALID' });
    t.equal((db.prepare('SELECT COUNT(*) AS n FROM roster_imports').get() as { n: number }).n, 1);
  });
  t.test('intake holds the old KTP and letter and numbers tickets per day', async (t) => {
    const { ledger, residents } = ledgerWithRoster(3);
    const a = ledger.intake(residents[0].letterNo, 'A');
    const b = ledger.intake(residents[1].letterNo, 'A');
    t.equal(a.ticket.number, 'A-001');
    t.equal(b.ticket.number, 'A-002');
    t.equal(ledger.itemState('old_ktp', residents[0].letterNo), 'held');
    t.equal(ledger.itemState('letter', residents[0].letterNo), 'held');
    t.equal(ledger.nextWaiting()?.id, a.ticket.id);
  });
  t.test('intake refuses unknown letters, double tickets and issued cards', async (t) => {
    const { ledger, residents } = ledgerWithRoster(2);
    t.throws(() => ledger.intake('SP/NOPE', 'A'), { code: 'LETTER_UNKNOWN' });
    ledger.intake(residents[0].letterNo, 'A');
    t.throws(() => ledger.intake(residents[0].letterNo, 'A'), { code: 'ALREADY_QUEUED' });
    ledger.move('ektp', residents[1].cardUid, 'issued', null, 'test');
    t.throws(() => ledger.intake(residents[1].letterNo, 'A'), { code: 'ALREADY_ISSUED' });
  });
  t.test('custody_events and audit refuse UPDATE and DELETE', async (t) => {
    const { db } = ledgerWithRoster(1);
    t.throws(() => db.prepare("UPDATE custody_events SET reason = 'x'").run(), /append-only/);
    t.throws(() => db.prepare('DELETE FROM audit').run(), /append-only/);
  });
});

t.test('verifyLedger', async (t) => {
  const setup = () => {
    const fixture = ledgerWithRoster(3);
    fixture.ledger.intake(fixture.residents[0].letterNo, 'A');
    fixture.ledger.move('ektp', fixture.residents[1].cardUid, 'retained', null, 'damaged');
    return fixture;
  };
  // Tampering goes around the triggers the way an attacker with the file would: drop them first.
  const dropTriggers = (db: Database.Database) => {
    for (const name of ['custody_events_append_only_u', 'custody_events_append_only_d', 'audit_append_only_u', 'audit_append_only_d']) db.exec(`DROP TRIGGER ${name}`);
  };
  t.test('passes on an untouched ledger', async (t) => {
    const { db } = setup();
    const v = verifyLedger(db);
    t.ok(v.ok, v.problems.join('; '));
    t.ok(v.auditRows > 5);
  });
  t.test('detects an edited custody event', async (t) => {
    const { db } = setup();
    dropTriggers(db);
    db.prepare("UPDATE custody_events SET to_state = 'on_hand' WHERE reason = 'damaged'").run();
    t.notOk(verifyLedger(db).ok);
  });
  t.test('detects an edited item state', async (t) => {
    const { db, residents } = setup();
    db.prepare("UPDATE items SET state = 'issued' WHERE ref = ?").run(residents[2].cardUid);
    t.match(verifyLedger(db).problems, [/state does not match/]);
  });
  t.test('detects an edited, deleted or reordered audit row', async (t) => {
    for (const tamper of ["UPDATE audit SET data = '{}' WHERE id = 2", 'DELETE FROM audit WHERE id = 3', 'UPDATE audit SET id = 1000 WHERE id = 2']) {
      const { db } = setup();
      dropTriggers(db);
      db.exec(tamper);
      t.notOk(verifyLedger(db).ok, tamper);
    }
  });
  t.test('detects an edited resident name', async (t) => {
    const { db } = setup();
    db.prepare("UPDATE residents SET name = 'SOMEONE ELSE' WHERE id = 1").run();
    t.match(verifyLedger(db).problems, [/resident 1: row differs/]);
  });
});
