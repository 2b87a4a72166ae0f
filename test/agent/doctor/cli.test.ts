import { initLedgerFiles } from '../../../agent/ledger/open.ts';
import t, { type Test } from 'tap';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type DoctorDeps } from '../../../agent/doctor/cli.ts';
import { SimCardReader } from '../../../drivers/card/sim.ts';
import { SimFingerprintSensor } from '../../../drivers/fingerprint/sim.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import { SimPrinter } from '../../../drivers/printer/sim.ts';

const TEMPLATE = join(import.meta.dirname, '../../../systemd/config.template.json');

function capture() {
  const out = { stdout: '', stderr: '' };
  const deps: Partial<DoctorDeps> = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    agentRunning: async () => false,
    // Never pick up a real box's config from the machine running the tests.
    installedConfig: '/nonexistent/ektp-agent/config.json',
  };
  return { out, deps };
}

/** A config file for the simulated counter with its data dir in the test's temp dir. */
function simConfig(t: Test, extra: Record<string, unknown> = {}): string {
  const dir = t.testdir({ data: {} });
  const dataDir = join(dir, 'data');
  chmodSync(dataDir, 0o700);
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ version: 1, dataDir, ...extra }));
  // The box's first run (scripts/install runs `ektp-agent init`), keyed beside the data directory.
  initLedgerFiles({ dataDir, keyFile: join(dataDir, 'ledger.key') });
  return file;
}

t.test('doctor main', async (t) => {
  t.test('prints usage and exits 0 for --help', async (t) => {
    const { out, deps } = capture();
    t.equal(await main(['--help'], deps), 0);
    t.match(out.stdout, /^Usage: ektp-agent doctor/);
  });

  t.test('exits 2 on an unknown option', async (t) => {
    const { out, deps } = capture();
    t.equal(await main(['--frobnicate'], deps), 2);
    t.match(out.stderr, /Unknown option '--frobnicate'/);
  });

  t.test('exits 2 and lists every problem of an invalid config', async (t) => {
    const { out, deps } = capture();
    const file = simConfig(t, { counter: { queuePrefix: 'lowercase' }, log: { level: 'loud' } });
    t.equal(await main(['--config', file], deps), 2);
    t.match(out.stderr, /Konfigurasi tidak valid/);
    t.match(out.stderr, /counter\.queuePrefix/);
    t.match(out.stderr, /log\.level/);
    t.equal(out.stdout, '');
  });

  t.test('passes every check on the simulated counter built from the config', async (t) => {
    const { out, deps } = capture();
    const code = await main(['--config', simConfig(t)], deps);
    t.equal(code, 0, out.stdout + out.stderr);
    for (const c of ['PCSCD_NOT_USED', 'READER_OK', 'SENSOR_OK', 'PRINTER_OK', 'PANEL_OK', 'BROKER_NOT_CONFIGURED', 'DATA_DIR_OK', 'DB_OK', 'LEDGER_SEALED_OK']) {
      t.match(out.stdout, new RegExp(`^${c}\\s+LULUS`, 'm'), c);
    }
    t.match(out.stdout, /Kotak siap melayani\./);
  });

  t.test('gives the same result as JSON with --json', async (t) => {
    const { out, deps } = capture();
    t.equal(await main(['--config', simConfig(t), '--json'], deps), 0);
    const json = JSON.parse(out.stdout) as { ok: boolean; results: Array<{ code: string }> };
    t.equal(json.ok, true);
    t.ok(json.results.some((r) => r.code === 'PANEL_OK'));
  });

  t.test('exits 1 and names the printer out of paper and the unplugged reader', async (t) => {
    const { out, deps } = capture();
    const printer = new SimPrinter({ columns: 32 });
    printer.setStatus({ paper: 'out', online: false });
    const reader = new SimCardReader();
    reader.unplug();
    deps.factories = async () => ({
      createCardReader: () => reader,
      createFingerprintSensor: () => new SimFingerprintSensor(),
      createPrinter: () => printer,
      createPanel: () => new SimPanel(),
      createDisplay: () => new SimDisplay(),
    });
    t.equal(await main(['--config', simConfig(t)], deps), 1);
    t.match(out.stdout, /^READER_ABSENT\s+GAGAL\s+Pembaca kartu tidak terdeteksi/m);
    t.match(out.stdout, /^PRINTER_PAPER_OUT\s+GAGAL\s+Kertas printer habis — ganti gulungan kertas$/m);
    t.match(out.stdout, /2 gagal\./);
  });

  t.test('exits 2 with a plain message when the drivers cannot be loaded', async (t) => {
    const { out, deps } = capture();
    deps.factories = () => Promise.reject(new Error("Cannot find module '/opt/ektp-agent/drivers/panel/factory.ts'"));
    t.equal(await main(['--config', simConfig(t)], deps), 2);
    t.match(out.stderr, /drivers cannot be loaded \(incomplete installation\? run scripts\/install again\)/);
  });

  t.test('refuses to fight the running agent for real devices unless --force', async (t) => {
    const { out, deps } = capture();
    deps.agentRunning = async () => true;
    const file = simConfig(t, {
      roster: { trustedKeys: ['/etc/ektp-agent/dinas-roster.pub.pem'] },
      devices: { printer: { driver: 'escpos', columns: 32, transport: { type: 'tcp', host: '127.0.0.1', port: 9 } } },
    });
    t.equal(await main(['--config', file], deps), 2);
    t.match(out.stderr, /Agen sedang berjalan/);
  });

  t.test('--check-config builds the drivers without opening them', async (t) => {
    const { out, deps } = capture();
    let opened = 0;
    const printer = new SimPrinter({ columns: 32 });
    printer.open = async () => {
      opened++;
    };
    deps.factories = async () => ({
      createCardReader: () => new SimCardReader(),
      createFingerprintSensor: () => new SimFingerprintSensor(),
      createPrinter: () => printer,
      createPanel: () => new SimPanel(),
      createDisplay: () => new SimDisplay(),
    });
    t.equal(await main(['--config', simConfig(t), '--check-config'], deps), 0);
    t.match(out.stdout, /Konfigurasi valid/);
    t.equal(opened, 0);
  });

  t.test('--check-config on the install template asks for the SAM and the panel wiring', async (t) => {
    const { out, deps } = capture();
    // The template as installed, with its data dir moved into the test's temp dir.
    const template = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as Record<string, unknown>;
    const file = simConfig(t, { ...template, dataDir: t.testdir() });
    t.equal(await main(['--config', file, '--check-config'], deps), 2);
    t.match(out.stderr, /^Konfigurasi tidak valid/);
    t.match(out.stderr, /^ {2}- devices\.cardReader\.sam: required/m);
    t.match(out.stderr, /^ {2}- devices\.panel\.buttons: /m);
  });
});
