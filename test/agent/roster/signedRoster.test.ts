import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { DEV_KEY_ID, devRosterPrivateKey } from '../../../agent/roster/devKey.ts';
import { loadTrustedKeys, signRoster, verifyRoster } from '../../../agent/roster/signedRoster.ts';
import type { RosterPayload, SignedRosterFile } from '../../../agent/roster/types.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';

const trusted = loadTrustedKeys([DEV_KEY_ID]);
const residents = makeResidents(3, 4);
const good = virtualRoster(residents, 'kec-demo', 'B-7', '2026-11-26T00:00:00Z');

function resign(mutate: (p: RosterPayload) => RosterPayload): SignedRosterFile {
  const payload = JSON.parse(Buffer.from(good.payload, 'base64').toString('utf8')) as RosterPayload;
  return signRoster(mutate(payload), devRosterPrivateKey(), DEV_KEY_ID);
}

t.test('verifyRoster', async (t) => {
  t.test('accepts a roster signed by a trusted key', async (t) => {
    const v = verifyRoster(good, trusted);
    t.equal(v.payload.entries.length, 4);
    t.match(v.sha256, /^[0-9a-f]{64}$/);
  });
  t.test('rejects a payload altered after signing', async (t) => {
    const payload = JSON.parse(Buffer.from(good.payload, 'base64').toString('utf8')) as RosterPayload;
    const altered = { ...good, payload: Buffer.from(JSON.stringify({ ...payload, batchId: 'B-8' })).toString('base64') };
    t.throws(() => verifyRoster(altered, trusted), { code: 'ROSTER_INVALID', message: /altered or forged/ });
  });
  t.test('rejects a roster signed by an unknown key', async (t) => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = signRoster(JSON.parse(Buffer.from(good.payload, 'base64').toString('utf8')), privateKey, DEV_KEY_ID);
    t.throws(() => verifyRoster(forged, trusted), { code: 'ROSTER_INVALID' });
    const otherId = { ...forged, keyId: 'someone-else' };
    t.throws(() => verifyRoster(otherId, trusted), { message: /not a trusted key/ });
  });
  t.test('rejects garbage files with a clear message', async (t) => {
    t.throws(() => verifyRoster(null, trusted), { code: 'ROSTER_INVALID', message: /not a signed roster/ });
    t.throws(() => verifyRoster({ format: 'ektp-roster-signed/1' }, trusted), { message: /missing keyId/ });
  });
  t.test('lists every bad entry, without the NIK in the message', async (t) => {
    const bad = resign((p) => ({
      ...p,
      entries: [
        p.entries[0],
        { ...p.entries[1], validation: { ...p.entries[1].validation, nik: p.entries[0].validation.nik } },
        { ...p.entries[2], cardUid: 'xyz', validation: { ...p.entries[2].validation, nik: '12345' } },
      ],
    }));
    const err = t.throws(() => verifyRoster(bad, trusted)) as Error & { detail: { problems: string[] } };
    t.same(err.detail.problems, ['entries[1]: duplicate NIK', 'entries[2].cardUid must be 8-20 upper-case hex digits', 'entries[2].validation.nik: NIK must be exactly 16 digits']);
    t.notMatch(err.message, residents[0].biodata.nik);
  });
});
