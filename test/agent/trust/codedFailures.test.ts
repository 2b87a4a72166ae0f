/**
 * Issue #16, "unclear failures": a read-only or full data directory, an unreadable ledger, mqtt
 * typos and TLS footguns, a demo pointed at a directory it did not make, world-readable files.
 * Each now has its own code (and exit status), with one line and no stack trace.
 */
import t, { type Test } from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { cli, REPO, writeConfig } from '../../helpers/cli.ts';

const noStack = (t: Test, s: string) => t.notMatch(s, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');

/** A small tmpfs of its own (root, as the other integration tests): a disk that fills or goes read-only. */
function tmpfs(t: Test, opts: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-mnt-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
  t.teardown(() => {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

t.test('a read-only data directory is DATA_DIR_READ_ONLY (exit 7), for init and for the agent', async (t) => {
  const mnt = tmpfs(t, 'size=4m');
  const dir = t.testdir();
  const config = writeConfig(dir, join(mnt, 'data'), { ledger: { keyFile: join(mnt, 'ledger.key') } });
  t.equal(cli(['init', '--config', config]).status, 0);
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  const run = cli(['run', '--config', config]);
  t.equal(run.status, 7);
  t.match(run.stderr, /DATA_DIR_READ_ONLY/);
  noStack(t, run.stderr);
  const roMnt = tmpfs(t, 'size=1m,ro');
  const sub = join(dir, 'ro');
  mkdirSync(sub);
  const init = cli(['init', '--config', writeConfig(sub, join(roMnt, 'data'))]);
  t.equal(init.status, 7, init.stderr);
  t.match(init.stderr, /DATA_DIR_READ_ONLY/);
});

t.test('a full disk is DISK_FULL (exit 8), not LEDGER_INCONSISTENT', async (t) => {
  const mnt = tmpfs(t, 'size=2m');
  const dir = t.testdir();
  const config = writeConfig(dir, join(mnt, 'data'), { ledger: { keyFile: join(dir, 'ledger.key') } });
  t.equal(cli(['init', '--config', config]).status, 0);
  spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=64k']); // until ENOSPC
  const roster = join(dir, 'roster.json');
  writeFileSync(roster, JSON.stringify(virtualRoster(makeResidents(3, 300), 'kec-demo', 'B-FULL', '2026-11-26T00:00:00Z')));
  const r = cli(['import-roster', '--config', config, roster]);
  t.equal(r.status, 8, r.stderr);
  t.match(r.stderr, /disk is full.*\(DISK_FULL\)/);
  noStack(t, r.stderr);
});

t.test('verify-ledger: unreadable (4) is not tampered (3); tools print no stack trace', async (t) => {
  const dir = t.testdir();
  const junk = join(dir, 'junk.sqlite');
  writeFileSync(junk, 'this is not a database, just text that is long enough '.repeat(100));
  const r = cli(['verify-ledger', '--db', junk]);
  t.equal(r.status, 4, r.stdout + r.stderr);
  t.match(r.stderr, /LEDGER_UNREADABLE/);
  noStack(t, r.stderr);
  const config = writeConfig(dir, join(dir, 'nodata'));
  const imp = cli(['import-roster', '--config', config, join(dir, 'x.json')]);
  t.equal(imp.status, 5, 'no ledger yet: LEDGER_MISSING');
  noStack(t, imp.stderr);
});

t.test('mqtt: typos are unknown keys; TLS footguns are refused on a real counter', async (t) => {
  const dir = t.testdir();
  const typo = writeConfig(dir, join(dir, 'data'), { mqtt: { url: 'mqtts://m.example:8883', passwrod: 'x', tls: { rejectUnauthorised: false } } });
  const a = cli(['config', 'check', typo]);
  t.equal(a.status, 1);
  t.match(a.stderr, /mqtt\.passwrod: unknown key/);
  t.match(a.stderr, /mqtt\.tls\.rejectUnauthorised: unknown key/);
  const dinasKey = join(dir, 'dinas.pem');
  writeFileSync(dinasKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const real = {
    roster: { trustedKeys: [dinasKey] },
    ledger: { keyFile: join(dir, 'ledger.key') },
    devices: { printer: { driver: 'escpos', columns: 32, transport: { type: 'tcp', host: '127.0.0.1', port: 9100 } } },
  };
  const sub = join(dir, 'b');
  mkdirSync(sub);
  const footguns = writeConfig(sub, join(dir, 'data'), { ...real, mqtt: { url: 'mqtt://m.example:1883', username: 'u', password: 'p', tls: undefined } });
  const b = cli(['config', 'check', footguns]);
  t.match(b.stderr, /mqtt\.password: sent in clear text/);
  const sub2 = join(dir, 'c');
  mkdirSync(sub2);
  const insecure = writeConfig(sub2, join(dir, 'data'), { ...real, mqtt: { url: 'mqtts://m.example:8883', tls: { rejectUnauthorized: false } } });
  t.match(cli(['config', 'check', insecure]).stderr, /rejectUnauthorized: false accepts any broker certificate/);
});

t.test('demo --out refuses a non-empty directory it did not make; its files are 0600', async (t) => {
  const dir = t.testdir({ precious: { 'keep.txt': 'do not delete' } });
  const demo = (out: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/demo.ts'), '--residents', '3', '--seed', '2', '--out', out], { encoding: 'utf8', cwd: REPO, timeout: 300_000 });
  const refused = demo(join(dir, 'precious'));
  t.equal(refused.status, 2);
  t.same(readdirSync(join(dir, 'precious')), ['keep.txt'], 'nothing deleted');
  const out = join(dir, 'day');
  const ok = demo(out);
  t.equal(ok.status, 0, ok.stderr);
  for (const f of ['ledger.sqlite', 'summary.json', 'agent.log']) t.equal((statSync(join(out, f)).mode & 0o777).toString(8), '600', f);
  const html = readdirSync(out).filter((f) => f.endsWith('.html'));
  for (const f of html) t.equal((statSync(join(out, f)).mode & 0o777).toString(8), '600', f);
  t.equal(demo(out).status, 0, 'its own directory is cleared for the next run');
});
