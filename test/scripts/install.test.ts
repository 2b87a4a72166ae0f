import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../agent/config/load.ts';
import { validateCardReaderConfig } from '../../drivers/card/factory.ts';
import { parseFingerprintConfig } from '../../drivers/fingerprint/config.ts';
import { profileByName, profileNames } from '../../drivers/fingerprint/profiles/index.ts';
import { formatUsbId } from '../../drivers/fingerprint/profile.ts';
import { parsePrinterConfig } from '../../drivers/printer/factory.ts';

const ROOT = join(import.meta.dirname, '../..');
const INSTALL = join(ROOT, 'scripts/install');
const UNINSTALL = join(ROOT, 'scripts/uninstall');

function sh(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
  if (r.error) throw new Error(`${cmd} is required: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The installer's target paths: a dry run must not create any of them. */
const TARGETS = ['/opt/ektp-agent', '/opt/ektp-agent.new', '/etc/ektp-agent', '/var/lib/ektp-agent', '/usr/local/bin/ektp-agent', '/etc/systemd/system/ektp-agent.service'];

t.test('scripts/install and scripts/uninstall', async (t) => {
  t.test('parse with bash -n', async (t) => {
    for (const f of [INSTALL, UNINSTALL]) t.equal(sh('bash', ['-n', f]).status, 0, f);
  });

  t.test('pass shellcheck without a finding', async (t) => {
    for (const f of [INSTALL, UNINSTALL]) {
      const r = sh('shellcheck', [f]);
      t.equal(`${r.stdout}${r.stderr}`, '', f);
      t.equal(r.status, 0);
    }
  });
});

t.test('scripts/install --dry-run', async (t) => {
  const existedBefore = TARGETS.filter((p) => existsSync(p));
  const r = sh(INSTALL, ['--dry-run']);
  const out = r.stdout;
  const steps = out.split('\n').filter((l) => l.startsWith('[dry-run] '));

  t.test('succeeds and changes nothing', async (t) => {
    t.equal(r.status, 0, r.stderr);
    t.same(
      TARGETS.filter((p) => existsSync(p)),
      existedBefore,
      'no target path appeared',
    );
  });

  t.test('installs only runtime packages that scripts/apt-packages.txt lists', async (t) => {
    const line = steps.find((l) => l.includes('apt-get install'));
    t.ok(line, 'an apt-get install step');
    const listed = new Set(readFileSync(join(ROOT, 'scripts/apt-packages.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    const pkgs = (line ?? '').split(' ').slice((line ?? '').split(' ').indexOf('--no-install-recommends') + 1);
    t.ok(pkgs.includes('pcscd'));
    for (const p of pkgs) t.ok(listed.has(p), `${p} is in scripts/apt-packages.txt`);
    t.notOk(pkgs.includes('mosquitto') || pkgs.includes('vsmartcard-vpcd'), 'test-only packages stay off the box');
  });

  t.test('puts the ektp user in the device groups', async (t) => {
    t.ok(steps.includes('[dry-run] usermod --append --groups plugdev,lp,dialout,gpio,i2c ektp'));
    t.ok(out.includes('user ektp exists') || steps.some((l) => /^\[dry-run\] useradd --system .* ektp$/.test(l)));
  });

  t.test('installs code with npm ci --omit=dev, rules, a 0700 data dir and the enabled service', async (t) => {
    const expected = [
      '[dry-run] install -D -m 0644 -o root -g root ' + join(ROOT, 'systemd/udev/99-ektp-agent.rules') + ' /etc/udev/rules.d/99-ektp-agent.rules',
      '[dry-run] install -D -m 0644 -o root -g root ' + join(ROOT, 'systemd/udev/99-ektp-roster-usb.rules') + ' /etc/udev/rules.d/99-ektp-roster-usb.rules',
      '[dry-run] install -D -m 0644 -o root -g root ' + join(ROOT, 'systemd/ektp-roster-usb@.service') + ' /etc/systemd/system/ektp-roster-usb@.service',
      existsSync('/usr/include/node/node_api.h')
        ? '[dry-run] env npm_config_build_from_source=better-sqlite3 npm_config_nodedir=/usr npm --prefix /opt/ektp-agent.new ci --omit=dev --no-audit --no-fund'
        : '[dry-run] env npm_config_build_from_source=better-sqlite3 npm --prefix /opt/ektp-agent.new ci --omit=dev --no-audit --no-fund',
      '[dry-run] mv /opt/ektp-agent.new /opt/ektp-agent',
      '[dry-run] install -d -m 0700 -o ektp -g ektp /var/lib/ektp-agent',
      '[dry-run] /usr/local/bin/ektp-agent hall clips --config /etc/ektp-agent/config.json',
      '[dry-run] install -D -m 0644 -o root -g root ' + join(ROOT, 'systemd/ektp-agent.service') + ' /etc/systemd/system/ektp-agent.service',
      '[dry-run] systemctl enable pcscd.socket ektp-agent.service',
      '[dry-run] /usr/local/bin/ektp-agent doctor --check-config --config /etc/ektp-agent/config.json',
      '[dry-run] systemctl restart ektp-agent.service',
    ];
    let at = -1;
    for (const e of expected) {
      const i = steps.indexOf(e);
      t.ok(i > at, `in order: ${e}`);
      at = Math.max(at, i);
    }
  });

  t.test('builds dist/ and lists only product files and runtime dependencies', async (t) => {
    t.ok(steps.includes(`[dry-run] npm --prefix ${ROOT} run --silent build`), 'compiles in the checkout');
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.includes('files to install in /opt/ektp-agent:'));
    const depsLine = lines.find((l) => l.includes('runtime dependencies (npm ci --omit=dev):')) ?? '';
    t.ok(start >= 0, 'the file list is printed');
    const files = lines.slice(start + 1).filter((l) => l.startsWith('      ')).map((l) => l.trim());
    const end = lines.slice(start + 1).findIndex((l) => !l.startsWith('      '));
    const listed = files.slice(0, end);
    t.ok(listed.includes('dist/agent/main.js') && listed.includes('dist/agent/matching/worker.js'), 'the compiled agent and matcher worker');
    t.ok(listed.includes('bin/ektp-agent.js') && listed.includes('systemd/ektp-agent.service'));
    const stray = listed.filter((f) => !/^(dist\/(agent|drivers|matcher)\/|bin\/|systemd\/|docs\/|package(-lock)?\.json$|README\.md$)/.test(f) || /\.ts$/.test(f));
    t.same(stray, [], 'nothing but the compiled product, its command, unit, docs and manifests');
    t.same(listed.filter((f) => /(^|\/)(test|harness|scripts|emulator|vpcd)\//.test(f)), [], 'no harness or rig file');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const deps = depsLine.split(':').slice(1).join(':').trim().split(/\s+/);
    t.same(deps.sort(), Object.keys(pkg.dependencies).sort());
    for (const dev of Object.keys(pkg.devDependencies)) t.notOk(deps.includes(dev), `${dev} (dev) stays off the box`);
    for (const dev of ['tsx', 'aedes', 'utif', 'typescript', 'tap']) t.ok(dev in pkg.devDependencies, `${dev} is a devDependency`);
  });

  t.test('writes the template config only on a new box', async (t) => {
    if (existsSync('/etc/ektp-agent/config.json')) t.match(out, /keeping the existing \/etc\/ektp-agent\/config\.json/);
    else t.ok(steps.includes(`[dry-run] install -m 0640 -o root -g ektp ${join(ROOT, 'systemd/config.template.json')} /etc/ektp-agent/config.json`));
  });

  t.test('offers the reference-build config with --reference', async (t) => {
    const ref = sh(INSTALL, ['--dry-run', '--reference']);
    t.equal(ref.status, 0, ref.stderr);
    if (existsSync('/etc/ektp-agent/config.json')) t.match(ref.stdout, /keeping the existing/);
    else t.match(ref.stdout, `[dry-run] install -m 0640 -o root -g ektp ${join(ROOT, 'systemd/config.reference.json')} /etc/ektp-agent/config.json`);
    if (!existsSync('/etc/ektp-agent/config.json')) t.match(out, /run again with --reference/, 'the template step points at it');
    const both = sh(INSTALL, ['--dry-run', '--reference', '--config', join(ROOT, 'systemd/config.template.json')]);
    t.equal(both.status, 1);
    t.match(both.stderr, /--config and --reference exclude each other/);
  });

  t.test('rejects an unknown option with status 2 and a missing --config file with status 1', async (t) => {
    const bad = sh(INSTALL, ['--dry-run', '--frobnicate']);
    t.equal(bad.status, 2);
    t.match(bad.stderr, /Unknown option: --frobnicate/);
    const missing = sh(INSTALL, ['--dry-run', '--config', '/nonexistent/site.json']);
    t.equal(missing.status, 1);
    t.match(missing.stderr, /cannot read --config \/nonexistent\/site\.json/);
  });
});

t.test('scripts/uninstall --dry-run', async (t) => {
  t.test('keeps config, data and user unless --purge', async (t) => {
    const keep = sh(UNINSTALL, ['--dry-run']);
    t.equal(keep.status, 0);
    t.match(keep.stdout, /\[dry-run\] rm -rf \/opt\/ektp-agent /);
    t.notMatch(keep.stdout, /\/var\/lib\/ektp-agent\n|rm -rf \/etc\/ektp-agent|userdel/);
    t.match(keep.stdout, /Kept: \/etc\/ektp-agent \(config\) and \/var\/lib\/ektp-agent/);
  });
  t.test('deletes config, data and user with --purge', async (t) => {
    const purge = sh(UNINSTALL, ['--dry-run', '--purge']);
    t.equal(purge.status, 0);
    t.match(purge.stdout, /\[dry-run\] rm -rf \/etc\/ektp-agent \/var\/lib\/ektp-agent/);
    t.match(purge.stdout, /\[dry-run\] userdel ektp/);
  });
});

t.test('systemd/udev/99-ektp-agent.rules', async (t) => {
  const rules = readFileSync(join(ROOT, 'systemd/udev/99-ektp-agent.rules'), 'utf8');
  t.test('grants every supported fingerprint sensor to plugdev', async (t) => {
    for (const name of profileNames()) {
      for (const id of profileByName(name)!.ids) {
        const [vid, pid] = formatUsbId(id).split(':');
        t.match(rules, new RegExp(`ATTR\\{idVendor\\}=="${vid}", ATTR\\{idProduct\\}=="${pid}", GROUP="plugdev", MODE="0660"`), `${name} ${vid}:${pid}`);
      }
    }
  });
  t.test('gives the printer and GPIO to their groups, never to everyone', async (t) => {
    t.match(rules, /KERNEL=="lp\[0-9\]\*", GROUP="lp", MODE="0660", SYMLINK\+="ektp-printer"/);
    t.match(rules, /KERNEL=="gpiochip\[0-9\]\*", GROUP="gpio", MODE="0660"/);
    t.notMatch(rules, /MODE="0?66[6-7]"|MODE="0?777"/);
  });
});

t.test('systemd/config.template.json', async (t) => {
  const template = JSON.parse(readFileSync(join(ROOT, 'systemd/config.template.json'), 'utf8')) as {
    devices: Record<string, Record<string, unknown>>;
  } & Record<string, unknown>;
  /** What the fleet engineer adds on site: the SAM, the panel wiring and the Dinas roster key. */
  const completed = {
    ...template,
    roster: { trustedKeys: ['/etc/ektp-agent/dinas-roster.pub.pem'] },
    devices: {
      ...template.devices,
      cardReader: { ...template.devices.cardReader, sam: { kind: 'module', path: '/etc/ektp-agent/sam.mjs' } },
      panel: {
        ...template.devices.panel,
        chip: 'pinctrl-bcm2711',
        buttons: { PANGGIL: 5, SESUAI: 6, SANGGAH: 13, JARI_LAIN: 19, BATAL: 26 },
        leds: { SIAP: 17, SIBUK: 27, TEMPELKAN_JARI: 22, BERHASIL: 23, GAGAL: 24, GANGGUAN: 25 },
        debounceMs: 30,
        longPressMs: 1500,
      },
    },
  };

  t.test('asks for nothing but the SAM, the panel wiring and the roster key', async (t) => {
    const err = t.throws(() => parseConfig(template, 'template')) as { problems?: string[] };
    t.ok(err.problems && err.problems.length > 0);
    t.same(
      (err.problems ?? []).filter((p) => !p.startsWith('devices.cardReader.sam') && !p.startsWith('devices.panel.') && !p.startsWith('roster.trustedKeys')),
      [],
    );
    t.ok(err.problems?.some((p) => p.startsWith('devices.cardReader.sam')), 'the SAM must be named');
    t.ok(err.problems?.some((p) => p.startsWith('roster.trustedKeys: required')), 'and the Dinas roster key: no default trust');
  });

  t.test('is a valid appliance config once those are filled in', async (t) => {
    const cfg = parseConfig(completed, 'template');
    t.equal(cfg.dataDir, '/var/lib/ektp-agent');
    t.same(
      // The counter's devices; the scanner and keypad are the intake desk's (role intake) and a
      // counter never opens them (agent/assemble.ts).
      (['cardReader', 'fingerprint', 'panel', 'printer', 'display'] as const).map((k) => cfg.devices[k].driver),
      ['pcsc', 'usb', 'gpio', 'escpos', 'i2c'],
      'real drivers only: a box never runs on simulators by default',
    );
    t.same(validateCardReaderConfig(cfg.devices.cardReader), []);
  });

  t.test('names the printer through the udev symlink and a known sensor profile', async (t) => {
    t.match(parsePrinterConfig(template.devices.printer), { driver: 'escpos', transport: { type: 'usb', device: '/dev/ektp-printer' } });
    t.match(parseFingerprintConfig(template.devices.fingerprint, profileNames()), { driver: 'usb', profile: 'uru4000b' });
  });
});
