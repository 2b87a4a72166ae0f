import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { encodeInputEvent } from '../../../drivers/keypad/evdev.ts';
import { EV_KEY, KEY, keypadCode } from '../../../drivers/keypad/keymap.ts';
import { cli } from '../../helpers/cli.ts';
import { openPtyPair } from '../../helpers/ptyPair.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `ektp-agent run` with role "intake" on its real input drivers: the serial scanner on a pty and
 * the evdev keypad on a FIFO. The agent process is the one a box runs; the test only plays the
 * scanner and the keypad, then reads the ledger after a clean stop.
 */
t.test('the agent as an intake desk starts on its real scanner and keypad; a scan waits for the letter check', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-intake-main-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const pty = await openPtyPair();
  t.teardown(() => pty.stop());
  // Under /dev (tmpfs /dev/shm) because the config accepts only device paths for the keypad.
  const devDir = mkdtempSync('/dev/shm/ektp-keypad-');
  t.teardown(() => rmSync(devDir, { recursive: true, force: true }));
  const fifo = join(devDir, 'event-kbd');
  execFileSync('mkfifo', [fifo]);
  const keyFd = openSync(fifo, 'r+');
  t.teardown(() => closeSync(keyFd));
  const residents = makeResidents(7, 3);
  // Real input drivers: the development roster key is refused (agent/config/trust.ts), so a Dinas key of the test's own.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rosterKey = join(dir, 'dinas-roster.pub.pem');
  writeFileSync(rosterKey, publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(dir, 'roster.json'), JSON.stringify(virtualRoster(residents, 'kec-demo', 'B-INTAKE', new Date().toISOString(), { key: privateKey, keyId: rosterKey })));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      dataDir: join(dir, 'data'),
      role: 'intake',
      counter: { id: 'meja-1', label: 'MEJA PENDAFTARAN' },
      roster: { trustedKeys: [rosterKey] },
      // Outside the data directory, as the installed /etc/ektp-agent/ledger.key is.
      ledger: { keyFile: join(dir, 'ledger.key') },
      devices: { scanner: { driver: 'serial', path: pty.device, baudRate: 9600 }, keypad: { driver: 'evdev', path: fifo } },
    }),
  );
  // The desk's ledger is made once by `ektp-agent init`, as on a counter.
  t.equal(cli(['init', '--config', join(dir, 'config.json')]).status, 0);
  const child = spawn(process.execPath, ['--import', 'tsx', 'agent/main.ts', '--config', join(dir, 'config.json'), '--roster', join(dir, 'roster.json')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  t.teardown(() => void child.kill('SIGKILL'));
  const deadline = Date.now() + 30_000;
  while (!out.includes('intake desk ready')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ready line:\n${out}`);
    await sleep(50);
  }
  const fd = openSync(pty.peer, 'w');
  writeSync(fd, `${residents[0].letterNo}\r`);
  closeSync(fd);
  await sleep(300);
  // The panel is simulated in this process, so nobody presses SESUAI: the desk must wait.
  t.match(out, /resident found; waiting for the letter check/);
  writeSync(keyFd, Buffer.concat([...'3273010000000000'].flatMap((ch) => [encodeInputEvent(EV_KEY, keypadCode(ch), 1)]).concat(encodeInputEvent(EV_KEY, KEY.KPENTER, 1))));
  await sleep(300);
  t.notMatch(out, /NIK_UNKNOWN/, 'a second identification while one is being checked is WRONG_STATE, not a lookup');
  t.match(out, /WRONG_STATE/);
  t.notMatch(out, new RegExp(residents[0].letterNo.replace(/\//g, '\\/')), 'the letter number is not logged');
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  t.equal(child.exitCode, 0, out);
  const db = new Database(join(dir, 'data', 'ledger.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  t.equal((db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n, 0, 'nothing recorded without the confirmation');
  t.equal((db.prepare('SELECT COUNT(*) AS n FROM residents').get() as { n: number }).n, 3);
});
