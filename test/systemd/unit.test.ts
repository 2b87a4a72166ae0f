import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const UNIT = join(import.meta.dirname, '../../systemd/ektp-agent.service');
const MAX_EXPOSURE = 3.0;

function analyze(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('systemd-analyze', args, { encoding: 'utf8', env: { ...process.env, SYSTEMD_COLORS: '0', SYSTEMD_PAGER: '' } });
  if (r.error) throw new Error(`systemd-analyze is required (apt: systemd): ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/**
 * `verify` checks that ExecStart's binary exists. The unit names /usr/bin/node (Debian's and
 * NodeSource's path, which scripts/install requires); on a machine whose node lives elsewhere the
 * check runs on a copy that differs only in that path.
 */
function unitForVerify(t: Test): string {
  if (existsSync('/usr/bin/node')) return UNIT;
  const dir = mkdtempSync(join(tmpdir(), 'ektp-unit-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, 'ektp-agent.service');
  writeFileSync(copy, readFileSync(UNIT, 'utf8').replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
  t.comment(`/usr/bin/node absent: verifying a copy with ExecStart=${process.execPath}`);
  return copy;
}

t.test('ektp-agent.service', async (t) => {
  const text = readFileSync(UNIT, 'utf8');

  t.test('passes systemd-analyze verify without a single warning', async (t) => {
    const r = analyze(['verify', '--man=no', unitForVerify(t)]);
    t.equal(r.out.trim(), '', 'verify prints nothing');
    t.equal(r.status, 0);
  });

  t.test(`has an overall exposure of at most ${MAX_EXPOSURE} in systemd-analyze security`, async (t) => {
    const r = analyze(['security', '--offline=true', UNIT]);
    const m = /Overall exposure level for ektp-agent\.service: (\d+\.\d)/.exec(r.out);
    t.ok(m, 'the overall exposure line is printed');
    const exposure = Number(m?.[1]);
    t.comment(`exposure ${exposure}`);
    t.ok(exposure <= MAX_EXPOSURE, `exposure ${exposure} <= ${MAX_EXPOSURE}`);
    // --threshold works in tenths; the tool's own verdict must agree with the parsed figure.
    const gate = analyze(['security', '--offline=true', `--threshold=${MAX_EXPOSURE * 10}`, UNIT]);
    t.equal(gate.status, 0, 'systemd-analyze --threshold accepts it');
  });

  t.test('is a notify service under the watchdog that systemd restarts on failure', async (t) => {
    t.match(text, /^Type=notify$/m);
    t.match(text, /^WatchdogSec=\d+s$/m);
    t.match(text, /^Restart=on-failure$/m);
    t.match(text, /^RestartPreventExitStatus=2 3 4 5 7 8 9$/m, 'but not on a config error or a refused ledger (agent/tools/exitCodes.ts)');
    t.match(text, /^NotifyAccess=main$/m);
    t.match(text, /^After=.*\bpcscd\.service\b/m);
    t.match(text, /^Wants=.*\bpcscd\.socket\b/m);
  });

  t.test('runs as the ektp user with the installed layout', async (t) => {
    t.match(text, /^User=ektp$/m);
    t.match(text, /^ExecStart=\/usr\/bin\/node --enable-source-maps \/opt\/ektp-agent\/dist\/agent\/main\.js --config \/etc\/ektp-agent\/config\.json$/m);
    t.notMatch(text, /tsx/, 'plain node: tsx is a development tool');
    t.match(text, /^StateDirectory=ektp-agent$/m);
    t.match(text, /^StateDirectoryMode=0700$/m);
  });

  t.test('lets node keep its JIT and says why', async (t) => {
    t.match(text, /^MemoryDenyWriteExecute=no$/m);
    t.match(text, /jitless/);
  });
});
