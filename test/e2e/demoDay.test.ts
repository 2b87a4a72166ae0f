import t from 'tap';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runDay } from '../harness/runDay.ts';
import { verifyLedger } from '../../agent/ledger/verify.ts';
import { loadChainKey } from '../../agent/ledger/chainKey.ts';
import { makeResidents } from '../../agent/sim/residents.ts';
import { VirtualWorld } from '../../agent/sim/world.ts';

const RESIDENTS = 10;
const SEED = 4;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

t.test('demo day on the simulated counter', async (t) => {
  const out = t.testdir();
  mkdirSync(join(out, 'slips'));
  const summary = await runDay({ residents: RESIDENTS, seed: SEED, out });

  t.test('every outcome kind of the procedure happens', async (t) => {
    for (const kind of ['berhasil_first_try', 'berhasil_left_finger', 'gagal_fingerprint', 'dispute_agrees', 'dispute_differs', 'cancelled', 'card_unreadable', 'no_show', 'not_on_roster', 'double_pickup'] as const) {
      t.ok((summary.outcomes[kind] ?? 0) >= 1, `${kind} happened`);
    }
    // Read from the ledger and the refusal codes: an intake refused for another reason than the
    // one the day meant, or one that changed the ledger, is not counted as either.
    t.equal(summary.outcomes.refused_other ?? 0, 0, 'no intake refused for an unexpected reason');
    t.equal(summary.vpcd, null, 'the simulated reader, not pcscd');
  });

  t.test('every physical item is accounted for and the ledger verifies', async (t) => {
    t.ok(summary.reconciliation.ok, summary.reconciliation.problems.join('; '));
    t.equal(summary.printQueueDepth, 0, 'every slip printed');
    const db = new Database(join(out, 'ledger.sqlite'), { readonly: true });
    t.teardown(() => db.close());
    const v = verifyLedger(db, loadChainKey(join(out, 'ledger.key')));
    t.ok(v.ok, v.problems.join('; '));
  });

  t.test('the day closes with both batches signed, their berita acara, and a tamper-evident ledger', async (t) => {
    t.same(summary.endOfDay.batches.map((b) => b.kind), ['ektp_destruction', 'old_ktp_handover']);
    for (const b of summary.endOfDay.batches) {
      const html = readFileSync(join(out, b.html), 'utf8');
      t.match(html, b.number);
      t.match(html, /PIHAK PERTAMA[\s\S]*PIHAK KEDUA/);
    }
    const slips = readdirSync(join(out, 'slips'));
    t.equal(slips.filter((s) => s.endsWith('berita_acara.txt')).length, 2, 'both berita acara printed');
    const daily = slips.filter((s) => s.endsWith('daily_report.txt'));
    t.equal(daily.length, 1, 'daily report printed at close-day');
    t.match(readFileSync(join(out, 'slips', daily[0]), 'utf8'), /STOK SEIMBANG/, 'the count matches the ledger');
    t.equal(summary.endOfDay.closing.difference, 0);
    const [json, csv] = summary.endOfDay.report;
    const report = JSON.parse(readFileSync(join(out, json), 'utf8'));
    t.equal(report.rekonsiliasi.seimbang, true);
    t.equal(report.stokKtpEl.selisih, 0);
    t.match(readFileSync(join(out, csv), 'utf8'), /^kode_lokasi,loket,tanggal,bagian,uraian,jumlah\n/);

    const copy = join(out, 'edited.sqlite');
    copyFileSync(join(out, 'ledger.sqlite'), copy);
    const db = new Database(copy);
    db.prepare("UPDATE transactions SET outcome = 'berhasil' WHERE id = (SELECT id FROM transactions WHERE outcome = 'gagal' LIMIT 1)").run();
    t.notOk(verifyLedger(db, loadChainKey(join(out, 'ledger.key'))).ok, 'one edited row is detected');
    db.close();
    rmSync(copy);
  });

  t.test('slips say what happened, with the NIK masked', async (t) => {
    const slips = readdirSync(join(out, 'slips'));
    t.equal(slips.filter((s) => s.endsWith('queue_ticket.txt')).length, RESIDENTS, 'one queue ticket per resident');
    const results = slips.filter((s) => s.endsWith('-result.txt')).map((s) => readFileSync(join(out, 'slips', s), 'utf8'));
    t.ok(results.some((r) => /B ?E ?R ?H ?A ?S ?I ?L/.test(r)), 'a berhasil slip');
    t.ok(results.some((r) => /G ?A ?G ?A ?L/.test(r)), 'a gagal slip');
    t.ok(results.every((r) => /\d{6}\*{6}\d{4}/.test(r)), 'every result slip shows a masked NIK');
  });

  t.test('no biometric data or unmasked NIK leaves memory', async (t) => {
    const residents = makeResidents(SEED, RESIDENTS);
    const world = new VirtualWorld(SEED);
    const cards = residents.map((r) => world.makeCard(r));
    const files = filesUnder(out).map((f) => ({ f, bytes: readFileSync(f) }));
    const secrets: { what: string; bytes: Buffer }[] = [];
    for (const c of cards) {
      secrets.push({ what: 'photo', bytes: Buffer.from(c.photo.subarray(100, 132)) });
      secrets.push({ what: 'signature', bytes: Buffer.from(c.signature.subarray(100, 132)) });
      for (const f of c.fingers) secrets.push({ what: 'template', bytes: Buffer.from(f.template.subarray(30, 60)) });
    }
    secrets.push({ what: 'ISO template header', bytes: Buffer.from('FMR\0 20\0', 'latin1') });
    for (const { f, bytes } of files) {
      for (const s of secrets) t.equal(bytes.indexOf(s.bytes), -1, `${s.what} not in ${f.slice(out.length)}`);
    }
    const textOutputs = files.filter(({ f }) => !f.endsWith('.sqlite') && !f.includes('.sqlite-'));
    for (const r of residents) {
      for (const { f, bytes } of textOutputs) {
        t.equal(bytes.indexOf(r.biodata.nik), -1, `full NIK not in ${f.slice(out.length)}`);
      }
    }
    const log = readFileSync(join(out, 'agent.log'), 'utf8');
    for (const r of residents) t.notOk(log.includes(r.biodata.name), 'resident names are not logged');
  });
});
