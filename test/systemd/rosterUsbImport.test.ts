/**
 * systemd/ektp-roster-usb-import, the script udev's ektp-roster-usb@.service runs, against a real block
 * device: an ext4 image labelled EKTP-ROSTER on a loop device, holding this site's roster, another
 * site's and an edited one. Needs root (losetup, mount), as on the appliance and in CI.
 */
import t from 'tap';
import { initLedgerFiles } from '../../agent/ledger/open.ts';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { signRoster } from '../../agent/roster/signedRoster.ts';
import type { RosterPayload } from '../../agent/roster/types.ts';
import { makeResidents } from '../../agent/sim/residents.ts';

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'systemd/ektp-roster-usb-import');

t.test('shellcheck finds nothing', async (t) => {
  const r = spawnSync('shellcheck', [SCRIPT], { encoding: 'utf8' });
  t.equal(`${r.stdout}${r.stderr}`, '');
  t.equal(r.status, 0);
});

t.test('ektp-roster-usb@.service and its udev rule', async (t) => {
  // verify needs an instance name and an ExecStart that exists: a copy pointing at this checkout.
  const dir = t.testdir();
  const unit = join(dir, 'ektp-roster-usb@sdb1.service');
  writeFileSync(unit, readFileSync(join(ROOT, 'systemd/ektp-roster-usb@.service'), 'utf8').replace('/opt/ektp-agent/systemd/', `${ROOT}/systemd/`));
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8', env: { ...process.env, SYSTEMD_COLORS: '0' } });
  t.equal(`${r.stdout}${r.stderr}`.trim(), '', 'systemd-analyze verify prints nothing');
  const rule = readFileSync(join(ROOT, 'systemd/udev/99-ektp-roster-usb.rules'), 'utf8');
  t.match(rule, /ENV\{ID_FS_LABEL\}=="EKTP-ROSTER".*ENV\{SYSTEMD_WANTS\}\+="ektp-roster-usb@%k\.service"/, 'only a stick labelled EKTP-ROSTER starts the import');
});

t.test('refuses a partition name that is a path', async (t) => {
  for (const bad of ['', '../sda', 'sdb1/x', '.hidden']) {
    t.equal(spawnSync(SCRIPT, [bad], { encoding: 'utf8' }).status, 2, JSON.stringify(bad));
  }
});

const isRoot = process.getuid?.() === 0;
t.test('imports the roster of this site from a stick; refuses another site\'s and an edited one', { skip: !isRoot && process.env.CI !== 'true' ? 'needs root for losetup and mount' : false }, async (t) => {
  const dir = t.testdir();
  const files = join(dir, 'stick');
  mkdirSync(files);
  const dinas = generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'dinas.pub.pem');
  writeFileSync(keyFile, dinas.publicKey.export({ type: 'spki', format: 'pem' }));
  const residents = makeResidents(9, 3);
  const roster = (siteId: string, batchId: string) => {
    const p: RosterPayload = {
      format: 'ektp-roster/1', batchId, siteId, deliveredAt: '2026-12-05T00:00:00Z',
      entries: residents.map((r) => ({ letterNo: r.letterNo, cardUid: r.cardUid, validation: r.biodata })),
    };
    return signRoster(p, dinas.privateKey, keyFile);
  };
  writeFileSync(join(files, 'kiriman-coblong.json'), JSON.stringify(roster('3273-coblong', 'B-20')));
  writeFileSync(join(files, 'kiriman-cidadap.json'), JSON.stringify(roster('3273-cidadap', 'B-21')));
  const edited = roster('3273-coblong', 'B-22');
  writeFileSync(join(files, 'kiriman-diubah.json'), JSON.stringify({ ...edited, payload: Buffer.from(Buffer.from(edited.payload, 'base64').toString().replace('B-22', 'B-23')).toString('base64') }));
  writeFileSync(join(files, 'autorun.sh'), '#!/bin/sh\ntouch /tmp/pwned\n');

  const image = join(dir, 'stick.img');
  execFileSync('truncate', ['-s', '8M', image]);
  execFileSync('mkfs.ext4', ['-q', '-L', 'EKTP-ROSTER', '-d', files, image]);
  const loop = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
  t.teardown(() => void spawnSync('losetup', ['-d', loop]));

  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: dir, site: { id: '3273-coblong' }, roster: { trustedKeys: [keyFile] } }));
  // The box's first run (install runs `ektp-agent init`): the import never creates a ledger.
  initLedgerFiles({ dataDir: dir, keyFile: join(dir, 'ledger.key') });
  // The installed /usr/local/bin/ektp-agent, here: this checkout's command.
  const bin = join(dir, 'ektp-agent');
  writeFileSync(bin, `#!/bin/sh\nexec ${process.execPath} ${join(ROOT, 'bin/ektp-agent.js')} "$@"\n`);
  chmodSync(bin, 0o755);

  const r = spawnSync(SCRIPT, [loop.replace('/dev/', '')], {
    encoding: 'utf8',
    env: { ...process.env, EKTP_AGENT_BIN: bin, EKTP_AGENT_CONFIG: config, EKTP_AGENT_USER: 'root' },
  });
  const out = `${r.stdout}${r.stderr}`;
  t.equal(r.status, 1, 'exit 1: two rosters refused');
  t.match(out, /stick released \(3 roster file\(s\) copied\)/);
  t.match(out, /kiriman-coblong\.json: imported 3 entries of batch B-20/);
  t.match(out, /kiriman-cidadap\.json: roster not imported: .* \(ROSTER_WRONG_SITE\)/);
  t.match(out, /kiriman-diubah\.json: roster not imported: roster signature does not verify.* \(ROSTER_INVALID\)/);
  t.notMatch(spawnSync('findmnt', ['--source', loop], { encoding: 'utf8' }).stdout, /\S/, 'the stick is unmounted');
  const db = new Database(join(dir, 'ledger.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT batch_id, site_id FROM roster_imports').all(), [{ batch_id: 'B-20', site_id: '3273-coblong' }]);
});
