import t from 'tap';
import { initLedgerFiles } from '../../../agent/ledger/open.ts';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { acceptRosterBytes, checkRosterSite, readRosterFile, ROSTER_MAX_BYTES } from '../../../agent/roster/acceptRoster.ts';
import { signRoster, verifyRoster } from '../../../agent/roster/signedRoster.ts';
import type { RosterPayload } from '../../../agent/roster/types.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { main as importRoster } from '../../../agent/tools/importRoster.ts';

// The Dinas's own key pair, as a real deployment has it (not the development key).
const dinas = generateKeyPairSync('ed25519');
const KEY_ID = 'dinas-3273';
const trusted = new Map([[KEY_ID, dinas.publicKey]]);
const residents = makeResidents(5, 4);

function payload(siteId: string, batchId: string): RosterPayload {
  return {
    format: 'ektp-roster/1',
    batchId,
    siteId,
    deliveredAt: '2026-12-05T00:00:00Z',
    entries: residents.map((r) => ({ letterNo: r.letterNo, cardUid: r.cardUid, validation: r.biodata })),
  };
}
const signed = (siteId: string, batchId = 'B-1') => Buffer.from(JSON.stringify(signRoster(payload(siteId, batchId), dinas.privateKey, KEY_ID)));

t.test('acceptRosterBytes', async (t) => {
  t.test('accepts a roster for this site signed by a trusted key', async (t) => {
    const v = acceptRosterBytes(signed('3273-coblong'), { siteId: '3273-coblong', trusted });
    t.equal(v.payload.entries.length, 4);
    t.equal(v.keyId, KEY_ID);
  });
  t.test('refuses a validly signed roster for another site: ROSTER_WRONG_SITE', async (t) => {
    t.throws(() => acceptRosterBytes(signed('3273-cidadap'), { siteId: '3273-coblong', trusted }), {
      code: 'ROSTER_WRONG_SITE',
      message: /for site "3273-cidadap", not this site "3273-coblong"/,
    });
    const v = verifyRoster(JSON.parse(signed('3273-cidadap').toString()), trusted);
    t.throws(() => checkRosterSite(v, '3273-coblong'), { code: 'ROSTER_WRONG_SITE' });
    // The probe's siteId "../../etc" (issue #16): validly signed, still not this site.
    t.throws(() => acceptRosterBytes(signed('../../etc'), { siteId: '3273-coblong', trusted }), { code: 'ROSTER_WRONG_SITE' });
  });
  t.test('refuses an edited roster (its site changed after signing): ROSTER_INVALID', async (t) => {
    const file = JSON.parse(signed('3273-cidadap').toString());
    const p = JSON.parse(Buffer.from(file.payload, 'base64').toString());
    file.payload = Buffer.from(JSON.stringify({ ...p, siteId: '3273-coblong' })).toString('base64');
    t.throws(() => acceptRosterBytes(Buffer.from(JSON.stringify(file)), { siteId: '3273-coblong', trusted }), {
      code: 'ROSTER_INVALID',
      message: /signature does not verify/,
    });
  });
  t.test('refuses oversized input before parsing it: ROSTER_TOO_LARGE', async (t) => {
    t.throws(() => acceptRosterBytes(signed('3273-coblong'), { siteId: '3273-coblong', trusted, maxBytes: 1000 }), { code: 'ROSTER_TOO_LARGE' });
    t.throws(() => acceptRosterBytes(Buffer.alloc(ROSTER_MAX_BYTES + 1, 0x20), { siteId: '3273-coblong', trusted }), { code: 'ROSTER_TOO_LARGE' });
    t.throws(() => acceptRosterBytes(Buffer.from('{nope'), { siteId: '3273-coblong', trusted }), { code: 'ROSTER_INVALID', message: /not JSON/ });
  });
  t.test('readRosterFile checks the size before reading', async (t) => {
    const dir = t.testdir({ 'big.json': 'x'.repeat(5000), 'ok.json': 'y'.repeat(10) });
    t.throws(() => readRosterFile(join(dir, 'big.json'), 4096), { code: 'ROSTER_TOO_LARGE' });
    t.equal(readRosterFile(join(dir, 'ok.json'), 4096).length, 10);
  });
});

t.test('import-roster --dir (the USB stick import): imports this site\'s roster, refuses the rest with codes', async (t) => {
  const dir = t.testdir();
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  // roster.trustedKeys lists the Dinas's public key file; its path is the key id the roster names.
  const keyFile = join(dir, 'dinas.pub.pem');
  writeFileSync(keyFile, dinas.publicKey.export({ type: 'spki', format: 'pem' }));
  const onStick = (siteId: string, batchId: string) => signRoster(payload(siteId, batchId), dinas.privateKey, keyFile);
  writeFileSync(join(stick, 'a-kiriman-coblong.json'), JSON.stringify(onStick('3273-coblong', 'B-10')));
  writeFileSync(join(stick, 'b-kiriman-cidadap.json'), JSON.stringify(onStick('3273-cidadap', 'B-11')));
  // One bit of the payload changed after signing (a NIK, a card, a site: any edit).
  const edited = onStick('3273-coblong', 'B-12');
  const bytes = Buffer.from(edited.payload, 'base64');
  bytes[bytes.length - 3] ^= 1;
  writeFileSync(join(stick, 'c-kiriman-diubah.json'), JSON.stringify({ ...edited, payload: bytes.toString('base64') }));
  writeFileSync(join(stick, 'notes.txt'), 'not a roster');
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: dir, site: { id: '3273-coblong' }, roster: { trustedKeys: [keyFile] } }));
  // The box's first run (install runs `ektp-agent init`): import-roster never creates a ledger.
  initLedgerFiles({ dataDir: dir, keyFile: join(dir, 'ledger.key') });

  const errors: string[] = [];
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  console.error = (...a: unknown[]) => void errors.push(a.join(' '));
  let first: number;
  let second: number;
  try {
    first = await importRoster(['--config', config, '--dir', stick]);
    second = await importRoster(['--config', config, '--dir', stick]);
  } finally {
    console.log = log;
    console.error = error;
  }
  t.equal(first, 1, 'exit 1: some files refused');
  t.match(lines.join('\n'), /a-kiriman-coblong\.json: imported 4 entries of batch B-10/);
  t.match(errors.join('\n'), /b-kiriman-cidadap\.json: roster not imported: .*not this site.* \(ROSTER_WRONG_SITE\)/);
  t.match(errors.join('\n'), /c-kiriman-diubah\.json: roster not imported: roster signature does not verify.* \(ROSTER_INVALID\)/);
  t.equal(second, 1);
  t.match(lines.join('\n'), /a-kiriman-coblong\.json: already imported, skipped/, 're-plugging the stick is harmless');
  const db = new Database(join(dir, 'ledger.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT batch_id, site_id FROM roster_imports').all(), [{ batch_id: 'B-10', site_id: '3273-coblong' }], 'only this site\'s roster is in the ledger');
  t.equal((db.prepare("SELECT COUNT(*) AS n FROM items WHERE kind = 'ektp'").get() as { n: number }).n, 4);
});
