import t, { type Test } from 'tap';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { exitStatus, runChecks } from '../../../agent/doctor/run.ts';
import { formatJson, formatTable } from '../../../agent/doctor/report.ts';
import type { DoctorContext } from '../../../agent/doctor/types.ts';
import { SimCardReader } from '../../../drivers/card/sim.ts';
import { SimFingerprintSensor } from '../../../drivers/fingerprint/sim.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import { SimPanel } from '../../../drivers/panel/sim.ts';
import { SimPrinter } from '../../../drivers/printer/sim.ts';
import type { Printer } from '../../../drivers/printer/types.ts';

/** The simulated counter: every device a simulator, a real data dir and a real ledger file. */
function simulatedCounter(t: Test) {
  const dataDir = t.testdir();
  chmodSync(dataDir, 0o700);
  const dbPath = join(dataDir, 'ledger.db');
  const db = new Database(dbPath);
  db.exec('CREATE TABLE custody (id INTEGER PRIMARY KEY, item TEXT)');
  db.close();
  const devices = {
    cardReader: new SimCardReader(),
    sensor: new SimFingerprintSensor(),
    printer: new SimPrinter({ columns: 32 }),
    panel: new SimPanel(),
    display: new SimDisplay(),
  };
  const ctx: DoctorContext = {
    ...devices,
    pcscdSocket: null,
    mqtt: null,
    dataDir,
    dbPaths: [dbPath],
    now: () => new Date('2026-11-27T02:00:00Z'),
    ntpSynchronized: async () => true,
    sensorProbeMs: 20,
  };
  return { ctx, ...devices };
}

t.test('runChecks', async (t) => {
  t.test('passes every check on the simulated counter', async (t) => {
    const { ctx } = simulatedCounter(t);
    const results = await runChecks(ctx);
    t.same(
      results.map((r) => r.check),
      ['pcscd', 'cardReader', 'sensor', 'printer', 'panel', 'display', 'broker', 'clock', 'dataDir', 'disk', 'database'],
    );
    t.same(
      results.filter((r) => r.check !== 'disk').map((r) => r.code),
      ['PCSCD_NOT_USED', 'READER_OK', 'SENSOR_OK', 'PRINTER_OK', 'PANEL_OK', 'DISPLAY_OK', 'BROKER_NOT_CONFIGURED', 'CLOCK_OK', 'DATA_DIR_OK', 'DB_OK'],
    );
    // Free space depends on the machine running the test; it must just not be a failure.
    t.match(results.find((r) => r.check === 'disk'), { code: /^DISK_(OK|LOW)$/ });
    t.same(results.filter((r) => r.status === 'fail'), []);
    t.equal(exitStatus(results), 0);
  });

  t.test('names both faults when the printer is out of paper and the reader is unplugged', async (t) => {
    const { ctx, printer, cardReader } = simulatedCounter(t);
    printer.setStatus({ paper: 'out', online: false });
    cardReader.unplug();
    const results = await runChecks(ctx);
    const failed = results.filter((r) => r.status === 'fail');
    t.same(
      failed.map((r) => r.code),
      ['READER_ABSENT', 'PRINTER_PAPER_OUT'],
    );
    t.equal(exitStatus(results), 1);
    const table = formatTable(results);
    t.match(table, /^READER_ABSENT\s+GAGAL\s+Pembaca kartu tidak terdeteksi — periksa kabel USB pembaca kartu$/m);
    t.match(table, /^PRINTER_PAPER_OUT\s+GAGAL\s+Kertas printer habis — ganti gulungan kertas$/m);
    t.match(table, /Hasil: \d+ lulus, 0 peringatan, 2 gagal\./);
  });

  t.test('turns a device that never answers into CHECK_TIMEOUT and goes on', async (t) => {
    const { ctx } = simulatedCounter(t);
    const stuck: Printer = {
      columns: 32,
      open: () => new Promise(() => {}),
      close: async () => {},
      status: async () => ({ online: true, coverOpen: false, paper: 'ok', cutterError: false }),
      print: async () => {},
    };
    const results = await runChecks({ ...ctx, printer: stuck }, { timeoutMs: 50 });
    t.match(results.find((r) => r.check === 'printer'), { code: 'CHECK_TIMEOUT', status: 'fail' });
    t.ok(results.some((r) => r.code === 'DB_OK'), 'later checks still ran');
  });

  t.test('turns a check that throws into CHECK_ERROR and goes on', async (t) => {
    const { ctx } = simulatedCounter(t);
    const results = await runChecks({
      ...ctx,
      now: () => {
        throw new Error('clock source broken');
      },
    });
    t.match(results.find((r) => r.check === 'clock'), { code: 'CHECK_ERROR', status: 'fail', detail: 'clock: clock source broken' });
    t.ok(results.some((r) => r.code === 'DB_OK'), 'later checks still ran');
  });

  t.test('leaves out the devices and disk checks it has nothing for', async (t) => {
    const results = await runChecks({ mqtt: null, pcscdSocket: null, now: () => new Date('2026-11-27T02:00:00Z'), ntpSynchronized: async () => true });
    t.same(
      results.map((r) => r.check),
      ['pcscd', 'broker', 'clock', 'database'],
    );
  });
});

t.test('formatTable and formatJson', async (t) => {
  t.test('align codes and statuses and end with a verdict', async (t) => {
    const table = formatTable([
      { check: 'printer', code: 'PRINTER_PAPER_LOW', status: 'warn', message: 'Kertas printer hampir habis — siapkan gulungan baru', detail: 'paper=near_end' },
      { check: 'clock', code: 'CLOCK_OK', status: 'pass', message: 'Tanggal dan jam benar dan tersinkron' },
    ]);
    t.equal(
      table,
      [
        'KODE               STATUS      KETERANGAN',
        '-----------------  ----------  ----------',
        'PRINTER_PAPER_LOW  PERINGATAN  Kertas printer hampir habis — siapkan gulungan baru',
        'CLOCK_OK           LULUS       Tanggal dan jam benar dan tersinkron',
        '',
        'Hasil: 1 lulus, 1 peringatan, 0 gagal.',
        'Kotak siap melayani.',
        '',
      ].join('\n'),
    );
  });
  t.test('show technical detail only when asked', async (t) => {
    const r = [{ check: 'printer', code: 'PRINTER_OK' as const, status: 'pass' as const, message: 'Printer siap, kertas cukup', detail: 'columns=32' }];
    t.notMatch(formatTable(r), /columns=32/);
    t.match(formatTable(r, { details: true }), /\(columns=32\)/);
  });
  t.test('give machines ok plus every result', async (t) => {
    const json = JSON.parse(formatJson([{ check: 'db', code: 'DB_CORRUPT', status: 'fail', message: 'x' }])) as { ok: boolean; results: unknown[] };
    t.equal(json.ok, false);
    t.equal(json.results.length, 1);
  });
});
