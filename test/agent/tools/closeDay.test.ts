import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as closeDayMain } from '../../../agent/tools/closeDay.ts';
import { main as reportMain } from '../../../agent/tools/report.ts';
import { Ledger } from '../../../agent/ledger/ledger.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';
import { foreignSql, query } from '../../helpers/ledgerFile.ts';
import Database from 'better-sqlite3';
import { loadChainKey } from '../../../agent/ledger/chainKey.ts';
import { verifyLedger } from '../../../agent/ledger/verify.ts';

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    return { code: await fn(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

function site(t: { testdir(): string }) {
  const dir = t.testdir();
  const { residents, db, ledger: fixture } = ledgerWithRoster(6, { path: join(dir, 'ledger.sqlite') });
  // Intake today, on the clock the CLI uses (the fixture's ledger is sealed: same chain key).
  const ledger = new Ledger(db, () => new Date(), 'Asia/Jakarta', { chainKey: fixture.chainKey });
  for (const r of residents.slice(0, 2)) ledger.intake(r.letterNo, 'A');
  db.close();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: dir, site: { id: 'kec-demo' } }));
  return { dir, config, residents };
}

t.test('ektp-agent close-day --counted: SELISIH when the drawer holds fewer cards than the ledger', async (t) => {
  const { dir, config, residents } = site(t);
  const r = await capture(() => closeDayMain(['--config', config, '--counted', '5', '--out', join(dir, 'out')]));
  t.equal(r.code, 1, 'exit 1: the count differs');
  t.match(r.out, /Hari pelayanan \d{4}-\d{2}-\d{2} ditutup\./);
  t.match(r.out, /Nomor antrean tidak dilayani \(dokumen dikembalikan ke penduduk\): A-001, A-002/);
  t.match(r.out, /LAPORAN HARIAN/);
  t.match(r.out, /Stok akhir \(sistem\)\s+6/);
  t.match(r.out, /Stok akhir \(fisik\)\s+5/);
  t.match(r.out, /SELISIH -1 KEPING/, 'the printed report says SELISIH');
  t.match(r.out, /Tidak dilayani \(tutup hari\)\s+2/);

  const day = /Hari pelayanan (\S+) ditutup/.exec(r.out)![1];
  const json = JSON.parse(readFileSync(join(dir, 'out', `laporan-harian-${day}.json`), 'utf8'));
  t.match(json, {
    format: 'ektp-laporan-harian/1',
    antrean: { nomorDiambil: 2, tidakDilayaniTutupHari: 2, dibatalkan: 0 },
    stokKtpEl: { stokAkhirSistem: 6, stokAkhirFisik: 5, selisih: -1 },
    tutupHari: { dokumenAntreanTersisa: 'dikembalikan', nomorTidakDilayani: ['A-001', 'A-002'] },
    rekonsiliasi: { seimbang: true },
  });
  const csv = readFileSync(join(dir, 'out', `laporan-harian-${day}.csv`), 'utf8');
  t.match(csv, /^kode_lokasi,loket,tanggal,bagian,uraian,jumlah\n/);
  t.match(csv, new RegExp(`kec-demo,loket-1,${day},Stok KTP-el,SELISIH,-1\n`));
  t.match(csv, /Rekonsiliasi KTP lama,dikembalikan,2\n/);
  for (const res of residents) t.notOk((csv + JSON.stringify(json)).includes(res.biodata.nik), 'no NIK in the files');

  const again = await capture(() => closeDayMain(['--config', config, '--counted', '6']));
  t.equal(again.code, 1);
  t.match(again.err, /already closed \(DAY_ALREADY_CLOSED\)/);

  const report = await capture(() => reportMain(['daily', '--config', config]));
  t.equal(report.code, 0);
  t.match(JSON.parse(report.out), { stokKtpEl: { selisih: -1 }, tutupHari: { nomorTidakDilayani: ['A-001', 'A-002'] } }, 'report daily shows the closing later');
});

t.test('close-day with a matching count prints STOK SEIMBANG and exits 0; bad usage exits 2', async (t) => {
  const { config } = site(t);
  t.equal((await capture(() => closeDayMain(['--config', config]))).code, 2, '--counted is required');
  t.equal((await capture(() => closeDayMain(['--config', config, '--counted', 'enam']))).code, 2);
  t.equal((await capture(() => closeDayMain(['--config', config, '--counted', '6', '--documents', 'burned']))).code, 2);
  const r = await capture(() => closeDayMain(['--config', config, '--counted', '6', '--documents', 'kept']));
  t.equal(r.code, 0, r.err);
  t.match(r.out, /STOK SEIMBANG/);
  t.notMatch(r.out, /SELISIH/);
  t.match(r.out, /dokumen disimpan petugas/);
});

t.test('close-day on a ledger edited outside the agent: refused with LEDGER_TAMPERED, nothing closed or moved', async (t) => {
  const { dir, config, residents } = site(t);
  // The first resident's old KTP made "owed back" by hand (no event, no audit): close-day would
  // settle it with a custody event of its own, after which the edit no longer shows.
  foreignSql(join(dir, 'ledger.sqlite'), `UPDATE items SET state = 'awaiting_return' WHERE kind = 'old_ktp' AND ref = '${residents[0].letterNo}'`);
  const r = await capture(() => closeDayMain(['--config', config, '--counted', '6', '--documents', 'kept']));
  t.equal(r.code, 3, 'the exit status of LEDGER_TAMPERED');
  t.match(r.err, /Perintah tidak dijalankan: buku besar diubah di luar aplikasi/);
  t.match(r.err, /verify-ledger/, 'where to see what was changed');
  t.match(r.err, /\(LEDGER_TAMPERED\)/);
  t.same(query(join(dir, 'ledger.sqlite'), 'SELECT COUNT(*) AS n FROM day_closes'), [{ n: 0 }], 'the day is not closed');
  t.same(query(join(dir, 'ledger.sqlite'), "SELECT state FROM items WHERE kind = 'old_ktp' ORDER BY id"), [{ state: 'awaiting_return' }, { state: 'held' }], 'no old KTP moved');
  const db = new Database(join(dir, 'ledger.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  t.match(verifyLedger(db, loadChainKey(join(dir, 'ledger.key'))).problems.join('\n'), /state does not match its custody events/, 'the edit still shows');
});
