import t from 'tap';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as doctorMain } from '../../agent/doctor/cli.ts';
import { parseConfig } from '../../agent/config/load.ts';
import { loadTrustedKeys } from '../../agent/roster/signedRoster.ts';

const ROOT = join(import.meta.dirname, '../..');
const REFERENCE = join(ROOT, 'systemd/config.reference.json');
/** The same pattern scripts/install uses to refuse a config whose placeholders were not replaced. */
const PLACEHOLDER = /"(ganti-[a-z0-9-]*|GANTI:[^"]*)"/g;

/** The parts of the file the tests read or change. */
interface ReferenceFile {
  site: Record<string, string>;
  officials: { counterOfficer: { name: string }; dinasOfficer: { name: string } };
  roster: { trustedKeys: string[] };
  devices: { cardReader: { sam: { path: string } } };
}
const raw = () => JSON.parse(readFileSync(REFERENCE, 'utf8')) as ReferenceFile;

t.test('ektp-agent config check passes on systemd/config.reference.json', async (t) => {
  // --offline: this machine has not the box's roster key and SAM module the reference names.
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/ektp-agent.js'), 'config', 'check', REFERENCE, '--offline'], { encoding: 'utf8', cwd: ROOT });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /config\.reference\.json: valid/);
});

t.test('it is the reference build with real drivers only', async (t) => {
  const cfg = parseConfig(raw(), 'reference');
  t.same(
    // The counter's devices; the scanner and keypad are the intake desk's (role intake) and a
    // counter never opens them (agent/assemble.ts).
    (['cardReader', 'fingerprint', 'panel', 'printer', 'display'] as const).map((k) => cfg.devices[k].driver),
    ['pcsc', 'usb', 'gpio', 'escpos', 'i2c'],
  );
  t.match(cfg.devices.display, { driver: 'i2c', bus: 1, address: 0x27, columns: 20, rows: 4 });
  t.match(cfg.devices.cardReader, {
    readerName: 'ACS ACR1252 Dual Reader [ACR1252 Dual Reader PICC]',
    samReaderName: 'ACS ACR1252 Dual Reader [ACR1252 Dual Reader SAM]',
    sam: { kind: 'module' },
  });
  t.match(cfg.devices.fingerprint, { profile: 'uru4000b' });
  t.match(cfg.devices.printer, { columns: 48, transport: { type: 'usb', device: '/dev/ektp-printer' } });
  t.equal(cfg.dataDir, '/var/lib/ektp-agent', 'the only directory the unit lets the agent write');
  t.notOk(cfg.roster.trustedKeys.includes('dev:roster-signing'), 'never trusts the development roster key');
});

t.test('site-specific values are marked placeholders the installer refuses', async (t) => {
  const text = readFileSync(REFERENCE, 'utf8');
  const found = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
  t.ok(found.includes('ganti-kode-kecamatan'), 'site id');
  for (const key of ['dinas', 'region', 'office', 'city']) t.match(raw().site[key], /^GANTI: /, `site.${key}`);
  t.match(raw().officials.counterOfficer.name, /^GANTI: /);
  t.match(raw().officials.dinasOfficer.name, /^GANTI: /);
  const install = readFileSync(join(ROOT, 'scripts/install'), 'utf8');
  t.ok(install.includes(`'"(ganti-[a-z0-9-]*|GANTI:[^"]*)"'`), 'scripts/install greps for the same placeholders');
});

t.test('with the SAM module and the roster key in place, doctor --check-config builds every driver', async (t) => {
  const dir = t.testdir();
  const keyFile = join(dir, 'dinas-roster.pub.pem');
  writeFileSync(keyFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  const cfg = raw();
  cfg.roster.trustedKeys = [keyFile];
  cfg.devices.cardReader.sam.path = join(ROOT, 'test/fixtures/card/samModule.ts');
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(cfg));
  t.equal(loadTrustedKeys(cfg.roster.trustedKeys).size, 1, 'the roster key loads');
  const out = { stdout: '', stderr: '' };
  const code = await doctorMain(['--check-config', '--config', file], {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    agentRunning: async () => false,
    installedConfig: '/nonexistent/ektp-agent/config.json',
  });
  t.equal(code, 0, out.stderr);
  t.match(out.stdout, /Konfigurasi valid/);
});

t.test('without the SAM module, doctor --check-config says which file is missing', async (t) => {
  const out = { stdout: '', stderr: '' };
  const code = await doctorMain(['--check-config', '--config', REFERENCE], {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    agentRunning: async () => false,
    installedConfig: '/nonexistent/ektp-agent/config.json',
  });
  t.equal(code, 2);
  t.match(out.stderr, /devices\.cardReader: .*\/opt\/dukcapil-sam\/index\.js/);
});
