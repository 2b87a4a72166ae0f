/**
 * A counter that never comes back. loket-2 (its own process) is killed with SIGKILL while a
 * ticket is leased to it, the e-KTP on its reader. `ektp-agent office leases` on the desk shows
 * the lease and loket-2's link lost (the broker's last will); `office release` refuses without
 * --confirm-retrieved and while the counter is online, then takes the ticket back to the head of
 * the queue and the e-KTP and letter back into the desk's custody in one audited transaction.
 * loket-1 serves the ticket. When loket-2 comes back, its interrupted close is recorded as a
 * conflict and acknowledged, not applied a second time, and the office still reconciles; a
 * verdict reported for a released lease is a conflict a supervisor must settle.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import t from 'tap';
import { officeReport } from '../../../agent/office/report.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { cli } from '../../helpers/cli.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';
import { DESK, OFFICE_SITE, officeConfig, openSimOffice } from '../../harness/office.ts';
import { query } from '../../helpers/ledgerFile.ts';

const RESIDENTS = 4;
const SEED = 41;

const until = async (pred: () => boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A query on a box's ledger file, opened read-only beside the running box. */

t.test('a counter that never comes back: leases, supervised release, and its late close', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-release-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({ residents: RESIDENTS, seed: SEED, counters: 1, dir, brokerUrl: broker.url, logger: silentLogger });
  t.teardown(() => office.close());
  const deskFile = join(dir, DESK, 'ledger.sqlite');
  const loket2File = join(dir, 'loket-2', 'ledger.sqlite');
  const configFile = join(dir, `${DESK}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({ version: 1, dataDir: join(dir, DESK), role: 'intake', site: { id: OFFICE_SITE }, counter: { id: DESK, label: 'MEJA PENDAFTARAN' }, office: officeConfig(broker.url) }),
  );
  const office$ = (...args: string[]) => cli(['office', ...args, '--config', configFile]);

  let loket2: ChildProcess | null = null;
  const spawnLoket2 = (...extra: string[]) => {
    const child = fork(
      new URL('../../harness/officeBox.ts', import.meta.url).pathname,
      ['--role', 'counter', '--id', 'loket-2', '--dir', dir, '--broker', broker.url, '--residents', String(RESIDENTS), '--seed', String(SEED), ...extra],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    loket2 = child;
    return child;
  };
  t.teardown(() => {
    loket2?.kill('SIGKILL');
  });

  const p = office.counters[0].played[0];
  t.equal(p.scenario, 'berhasil_first_try');
  t.equal(await office.intakeAll([p.resident.letterNo]), 1);
  const holding = new Promise<string | null>((resolve) => spawnLoket2('--hold-after-read').on('message', (m: { holding?: string | null }) => resolve(m.holding ?? null)));
  const number = await holding;
  t.equal(number, 'A-001', 'loket-2 called A-001 and has its e-KTP on the reader');

  // While loket-2 is alive, the desk sees it online, and nothing can be released.
  const live = office$('leases');
  t.equal(live.status, 0, live.stderr);
  t.match(live.stdout, /A-001 {2}di loket-2 {2}sejak .* {2}loket-2: terhubung/);
  const noConfirm = office$('release', '--ticket', 'A-001');
  t.equal(noConfirm.status, 2);
  t.match(noConfirm.stderr, /Ambil dulu KTP-el dan surat panggilan nomor A-001 dari loket-2.*OFFICE_CONFIRM_REQUIRED/);
  const online = office$('release', '--ticket', 'A-001', '--confirm-retrieved');
  t.equal(online.status, 1);
  t.match(online.stderr, /loket-2 masih terhubung ke server antrean.*\(OFFICE_COUNTER_ONLINE\)/);
  t.same(query(deskFile, "SELECT state FROM office_claims WHERE state = 'leased'"), [{ state: 'leased' }], 'still leased: nothing recorded by the refusals');

  // The box dies for good.
  loket2!.kill('SIGKILL');
  await new Promise((r) => loket2!.once('exit', r));
  let dead = office$('leases');
  for (let i = 0; i < 20 && !/loket-2: TERPUTUS/.test(dead.stdout); i++) {
    await new Promise((r) => setTimeout(r, 300));
    dead = office$('leases');
  }
  t.match(dead.stdout, /A-001 {2}di loket-2 {2}sejak .* {2}loket-2: TERPUTUS sejak/, "the broker's last will marks loket-2's link lost");
  t.match(dead.stdout, /mungkin masih melayani tanpa jaringan/, 'the officer is told a lost link may still be serving');
  t.same(JSON.parse(office$('leases', '--json').stdout).leases.map((l: { number: string; counter: string; counterLink: string }) => [l.number, l.counter, l.counterLink]), [['A-001', 'loket-2', 'lost']]);

  // The support officer fetched the e-KTP and the letter from loket-2.
  const released = office$('release', '--ticket', 'A-001', '--confirm-retrieved');
  t.equal(released.status, 0, released.stderr);
  t.match(released.stdout, /Nomor A-001 kembali ke kepala antrean.*diambil dari loket-2/);
  const desk = office.intake.ledger;
  const resident = desk.residentByLetter(p.resident.letterNo)!;
  t.same(query(deskFile, 'SELECT state FROM tickets WHERE number = ?', 'A-001'), [{ state: 'waiting' }], 'the ticket is back in the queue');
  t.equal(desk.itemState('ektp', resident.cardUid), 'on_hand', 'the e-KTP is back in the card store');
  t.equal(desk.itemState('letter', resident.letterNo), 'held', 'the letter is back at the desk');
  t.same(query(deskFile, "SELECT counter, state FROM office_claims WHERE state = 'released'"), [{ counter: 'loket-2', state: 'released' }]);
  const audit = query<{ data: string }>(deskFile, "SELECT data FROM audit WHERE action = 'office_lease_released'");
  t.equal(audit.length, 1, 'audit-logged');
  t.match(JSON.parse(audit[0].data), { number: 'A-001', counter: 'loket-2', confirmedRetrieved: true });
  t.equal(office$('release', '--ticket', 'A-001', '--confirm-retrieved').status, 1, 'a second release finds nothing leased');
  t.equal(office$('leases').stdout.trim(), 'Tidak ada nomor antrean yang sedang dipegang loket.');
  {
    // loket-2's ledger (copied off the dead box) still holds them under the released lease.
    const ledgers = office.ledgers();
    const boxes = [...ledgers.boxes, { device: 'loket-2', db: new Database(loket2File, { readonly: true }) }];
    const r = officeReport(boxes, DESK);
    boxes.at(-1)!.db.close();
    ledgers.close();
    t.same(
      r.released.stillOnCounterLedger.map((h) => h.kind).sort(),
      ['ektp', 'letter'],
      "listed as still on loket-2's ledger, not as a second holder",
    );
    t.same(r.withTwoHolders, []);
    t.same(r.unacknowledged, []);
    t.ok(r.ok, 'the office reconciles after the release');
  }

  // loket-1 serves A-001.
  const { served } = await office.serveUntilEmpty(0);
  t.equal(served, 1);
  await until(() => office.counters[0].counter.office!.journalDepth() === 0, "loket-1's close acknowledged");
  t.same(query(deskFile, 'SELECT state FROM tickets WHERE number = ?', 'A-001'), [{ state: 'served' }]);

  // loket-2 is repaired after all: its restart closes the transaction as interrupted and reports it.
  spawnLoket2();
  await until(() => query(deskFile, 'SELECT 1 FROM office_conflicts').length === 1, 'the late close recorded at the desk');
  await until(() => query(loket2File, 'SELECT 1 FROM office_journal').length === 0, "loket-2's journal drained (acknowledged)");
  loket2!.kill('SIGTERM');
  await new Promise((r) => loket2!.once('exit', r));
  t.same(query(deskFile, 'SELECT state FROM tickets WHERE number = ?', 'A-001'), [{ state: 'served' }], 'not applied twice: the ticket stays served');
  t.equal(desk.itemState('ektp', resident.cardUid), 'sent', 'the e-KTP stays with loket-1 (issued there)');
  t.same(query(loket2File, "SELECT state FROM items WHERE kind IN ('ektp', 'letter') ORDER BY kind"), [{ state: 'sent' }, { state: 'sent' }], "loket-2's own ledger: both sent back");
  {
    const ledgers = office.ledgers();
    const boxes = [...ledgers.boxes, { device: 'loket-2', db: new Database(loket2File, { readonly: true }) }];
    const r = officeReport(boxes, DESK);
    boxes.at(-1)!.db.close();
    ledgers.close();
    t.match(r.released.conflicts, [{ counter: 'loket-2', reported: 'interrupted', ticketStateAtDesk: 'served', needsSupervisor: false }]);
    t.same(r.released.stillOnCounterLedger, []);
    t.same(r.withTwoHolders, []);
    t.same(r.withoutHolder, []);
    t.same(r.unacknowledged, []);
    t.same(r.tickets.servedTwice, []);
    t.ok(r.ok, 'the office reconciles; the late close agrees with the release');
  }

  // A counter that reports a verdict for a released lease: a conflict for a supervisor.
  const claimId = query<{ claim_id: string }>(deskFile, "SELECT claim_id FROM office_claims WHERE state = 'released'")[0].claim_id;
  const probe = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  t.teardown(() => probe.endAsync(true));
  await probe.subscribeAsync(`ektp/v1/${OFFICE_SITE}/office/to/loket-2`, { qos: 1 });
  const acked = new Promise<void>((resolve) => probe.on('message', (_t, m) => JSON.parse(m.toString()).bootId === 'late-boot' && resolve()));
  await probe.publishAsync(
    `ektp/v1/${OFFICE_SITE}/office/to/${DESK}`,
    JSON.stringify({ kind: 'journal', from: 'loket-2', bootId: 'late-boot', seq: 1, body: { type: 'close', claimId, outcome: 'berhasil', returns: [{ kind: 'letter', state: 'kept' }] } }),
    { qos: 1 },
  );
  await acked;
  t.same(query(deskFile, 'SELECT state FROM tickets WHERE number = ?', 'A-001'), [{ state: 'served' }]);
  const report = cli(['report', 'office', '--authority', DESK, '--box', `${DESK}=${deskFile}`, '--box', `loket-1=${join(dir, 'loket-1', 'ledger.sqlite')}`, '--box', `loket-2=${loket2File}`]);
  t.equal(report.status, 1, 'the office does not balance until a supervisor settles it');
  t.match(report.stdout, /CONFLICT \(KONFLIK, periksa supervisor\) #2: loket-2 reported berhasil for ticket \d{4}-\d{2}-\d{2}\/A-001 .*not applied; settle on the desk: ektp-agent office settle --conflict 2/);
  t.match(report.stdout, /LATE CLOSE #1: loket-2 reported interrupted/);

  // The supervisor settles it on the desk. Refusals first: each coded, nothing recorded.
  const settled = () => query<{ n: number }>(deskFile, "SELECT COUNT(*) AS n FROM audit WHERE action = 'office_conflict_settled'")[0].n;
  const unknown = office$('settle', '--conflict', '99', '--true', 'desk', '--note', 'tidak ada');
  t.equal(unknown.status, 1);
  t.match(unknown.stderr, /tidak ada konflik nomor 99.*\(OFFICE_CONFLICT_UNKNOWN\)/);
  const noNote = office$('settle', '--conflict', '2', '--true', 'desk');
  t.equal(noNote.status, 2, 'the note of what physically happened is required');
  t.match(noNote.stderr, /OFFICE_SETTLE_USAGE/);
  const counterTrue = office$('settle', '--conflict', '2', '--true', 'counter', '--note', 'loket-2 mengaku menyerahkan');
  t.equal(counterTrue.status, 1, "loket-1 issued A-001's e-KTP: loket-2's berhasil cannot be applied");
  t.match(counterTrue.stderr, /OFFICE_SETTLE_NOT_POSSIBLE/);
  t.equal(settled(), 0, 'nothing recorded by the refusals');
  const ok = office$('settle', '--conflict', '2', '--true', 'desk', '--note', 'KTP-el diserahkan di loket-1; laporan loket-2 keliru (tes)');
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /Konflik #2 .* diselesaikan: pelepasan nomor berlaku/);
  t.equal(settled(), 1, 'one audit row');
  t.same(query(deskFile, 'SELECT resolution, note FROM office_conflicts WHERE id = 2'), [{ resolution: 'desk', note: 'KTP-el diserahkan di loket-1; laporan loket-2 keliru (tes)' }]);
  const again = office$('settle', '--conflict', '2', '--true', 'desk', '--note', 'sekali lagi');
  t.equal(again.status, 1);
  t.match(again.stderr, /OFFICE_CONFLICT_SETTLED/);
  t.equal(settled(), 1, 'a settlement is never rewritten');
  const after = cli(['report', 'office', '--authority', DESK, '--box', `${DESK}=${deskFile}`, '--box', `loket-1=${join(dir, 'loket-1', 'ledger.sqlite')}`, '--box', `loket-2=${loket2File}`]);
  t.match(after.stdout, /SETTLED CONFLICT #2: loket-2 reported berhasil .*the release stands \(settled by .*KTP-el diserahkan di loket-1/);
  t.equal(after.status, 0, 'the office balances once settled: the custody records agree');
  t.match(after.stdout, /the office balances/);
});
