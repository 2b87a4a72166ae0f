/**
 * `report daily` at the intake desk of a multi-counter office while a counter serves a resident.
 * The lease moves the e-KTP from the desk's card store to the counter's table (state `sent`); it is
 * neither in the store nor missing. The desk's report said "Stok akhir (sistem) 6" with 5 in the
 * store, and after the counter handed that e-KTP over, the close-day slip printed SELISIH -1 KEPING
 * for a card the resident holds. Now the e-KTPs at other boxes are their own line, the leased
 * tickets are named, and the count at close balances.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { laporanHarian } from '../../../agent/reports/laporanHarian.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { cli } from '../../helpers/cli.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { openOfficeWithLease } from '../../harness/office.ts';
import { waitFor } from '../../helpers/waits.ts';
import { query } from '../../helpers/ledgerFile.ts';

t.test('report daily at the desk while a ticket is leased: the e-KTP at the counter is its own line, not stock; close-day balances after', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-report-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { office, counter: c, served, player, deskFile, configFile, notices } = await openOfficeWithLease({ dir, brokerUrl: broker.url, logger: silentLogger, teardown: (fn) => t.teardown(fn) });
  const desk = office.intake.ledger;

  t.equal(c.counter.runner.current().name, 'CALLED', `called (notices on the way: ${notices.join(', ') || 'none'})`);
  t.same(query(deskFile, "SELECT number, state FROM tickets WHERE state = 'called'"), [{ number: 'A-001', state: 'called' }], 'A-001 is leased to loket-1');
  t.equal(desk.itemCount('ektp', 'on_hand'), 5, 'five e-KTPs in the card store');
  t.equal(desk.itemCount('ektp', 'sent'), 1, "one on loket-1's table");

  // During the day, as the supervisor runs it.
  const out = join(dir, 'out');
  const during = cli(['report', 'daily', '--config', configFile]);
  t.equal(during.status, 0, during.stderr);
  const l = JSON.parse(during.stdout);
  t.match(
    l.stokKtpEl,
    { stokAwal: 0, diterimaDariDinas: 6, dikirimKeMejaLoketLain: 1, diLoketSedangDilayani: ['A-001 (loket-1)'], stokAkhirSistem: 5, stokAkhirFisik: null, selisih: null },
    'the store holds 5; the sixth is at loket-1, named by ticket and counter',
  );
  const files = cli(['report', 'daily', '--config', configFile, '--out', out]);
  t.equal(files.status, 0, files.stderr);
  const csv = readFileSync(join(out, `laporan-harian-${l.tanggal}.csv`), 'utf8');
  t.match(csv, /,Stok KTP-el,Di loket \(sedang dilayani\),1\n/);
  t.match(csv, /,Stok KTP-el,Nomor di loket,A-001 \(loket-1\)\n/);
  t.match(csv, /,Stok KTP-el,Stok akhir \(sistem\),5\n/);
  t.notMatch(csv, /NIK|\d{16}/, 'no NIK in the report');

  // The counter finishes the resident (berhasil: handed over there); the day closes with 5 counted.
  await player.serveCalled(served, c.played);
  await waitFor('the close acknowledged', () => c.counter.office!.journalDepth() === 0);
  await waitFor('the desk applied the close', () => query<{ state: string }>(deskFile, "SELECT state FROM tickets WHERE number = 'A-001'")[0]?.state === 'served');
  const after = JSON.parse(cli(['report', 'daily', '--config', configFile]).stdout);
  t.match(after.stokKtpEl, { dikirimKeMejaLoketLain: 1, diLoketSedangDilayani: [], stokAkhirSistem: 5 }, 'handed over at loket-1: out of the store, no longer at a counter');
  const closed = cli(['close-day', '--counted', '5', '--config', configFile]);
  t.equal(closed.status, 0, closed.stderr);
  t.match(closed.stdout, /Dikirim ke meja\/loket lain +1\n/);
  t.match(closed.stdout, /Stok akhir \(sistem\) +5\n/);
  t.match(closed.stdout, /STOK SEIMBANG/);
  t.notMatch(closed.stdout, /SELISIH/, 'no e-KTP reported missing');

  // The counter's own report: it took one e-KTP from the desk and handed it over; nothing in its store.
  const counter = laporanHarian(c.counter.ledger, c.config);
  t.match(counter.stokKtpEl, { diterimaDariDinas: 1, diserahkanKePenduduk: 1, dikirimKeMejaLoketLain: 0, stokAkhirSistem: 0 });
});
