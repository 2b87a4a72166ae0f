/**
 * Issue #16, "forgeable rosters": with the shipped template config the development key was
 * trusted, so a roster anyone can sign imported with exit 0. Now a counter with a real device must
 * name the Dinas's key, never the development key, and `doctor` / `config check` say so.
 */
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../agent/config/load.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { virtualRoster } from '../../../agent/sim/roster.ts';
import { cli, REPO } from '../../helpers/cli.ts';

/** A counter with one real device (the ESC/POS printer over TCP), the rest simulated. */
const realish = (dir: string, extra: Record<string, unknown> = {}) => ({
  version: 1,
  dataDir: join(dir, 'data'),
  ledger: { keyFile: join(dir, 'ledger.key') },
  devices: { printer: { driver: 'escpos', columns: 32, transport: { type: 'tcp', host: '127.0.0.1', port: 9100 } } },
  ...extra,
});

function problemsOf(c: unknown): string[] {
  try {
    parseConfig(c, 'test');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

const template = () => JSON.parse(readFileSync(join(REPO, 'systemd/config.template.json'), 'utf8')) as Record<string, unknown> & { devices: Record<string, Record<string, unknown>> };

t.test('the template config trusts no roster key: refused until the Dinas key is listed', async (t) => {
  const c = template();
  c.devices.cardReader.sam = { kind: 'dev-test-keys' };
  t.ok(problemsOf(c).some((p) => p.startsWith('roster.trustedKeys: required')), problemsOf(c).join('\n'));
  t.ok(problemsOf(realish('/tmp/x')).some((p) => p.startsWith('roster.trustedKeys: required')), 'any real driver is enough');
});

t.test('a real counter may not trust the development key', async (t) => {
  const problems = problemsOf(realish('/tmp/x', { roster: { trustedKeys: ['dev:roster-signing'] } }));
  t.ok(problems.some((p) => /development key anyone can sign with/.test(p)), problems.join('\n'));
});

t.test('a roster forged with the development key does not import on a counter with real devices', async (t) => {
  const dir = t.testdir({ data: {} });
  const c = realish(dir);
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(c));
  const forged = join(dir, 'forged.json');
  writeFileSync(forged, JSON.stringify(virtualRoster(makeResidents(1, 3), 'kec-demo', 'FORGED-1', '2026-11-26T00:00:00Z')));
  const r = cli(['import-roster', '--config', file, forged]);
  t.not(r.status, 0, 'refused');
  t.equal(r.status, 2, 'as a configuration problem');
  t.match(r.stderr, /roster\.trustedKeys: required/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  t.notMatch(r.stdout, /imported/);
});

t.test('doctor on the template config reports the missing roster key', async (t) => {
  const dir = t.testdir();
  const c = template();
  c.dataDir = join(dir, 'data');
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(c));
  const r = cli(['doctor', '--config', file]);
  t.equal(r.status, 2);
  t.match(r.stderr, /roster\.trustedKeys: required when any device driver is real/);
});

t.test('config check reads every referenced file: a missing or wrong roster key, a missing CA file', async (t) => {
  const dir = t.testdir();
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
  writeFileSync(join(dir, 'rsa.pem'), rsa);
  const c = realish(dir, {
    roster: { trustedKeys: [join(dir, 'missing.pem'), join(dir, 'rsa.pem')] },
    mqtt: { url: 'mqtts://monitor.example:8883', tls: { caFile: join(dir, 'ca.pem') } },
  });
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(c));
  const r = cli(['config', 'check', file]);
  t.equal(r.status, 1);
  t.match(r.stderr, /roster\.trustedKeys\[0\]: cannot read .*missing\.pem: ENOENT/);
  t.match(r.stderr, /roster\.trustedKeys\[1\]: .*rsa\.pem is a rsa key; roster signatures are Ed25519/);
  t.match(r.stderr, /mqtt\.tls\.caFile: cannot read .*ca\.pem/);
});

t.test('with the Dinas key listed the same counter config is valid', async (t) => {
  const dir = t.testdir();
  writeFileSync(join(dir, 'dinas.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const c = realish(dir, { roster: { trustedKeys: [join(dir, 'dinas.pem')] } });
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(c));
  const r = cli(['config', 'check', file]);
  t.equal(r.status, 0, r.stderr);
});
