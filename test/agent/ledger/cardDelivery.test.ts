import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCardUids, recordDelivery } from '../../../agent/ledger/cardDelivery.ts';
import { dailyCounts } from '../../../agent/ledger/dailyReport.ts';
import { reconcile } from '../../../agent/ledger/reconcile.ts';
import { main as delivery } from '../../../agent/tools/delivery.ts';
import { ledgerWithRoster } from '../../helpers/ledgerFixture.ts';

const courier = { name: 'KURIR DINAS', position: 'Pengelola Blangko' };
const receiver = { name: 'PETUGAS LOKET', position: 'Petugas Pelayanan' };

t.test('recordDelivery: the box against the roster; KURANG leaves the stock, LEBIH is listed', async (t) => {
  const { ledger, residents, db } = ledgerWithRoster(4);
  const box = [residents[0].cardUid, residents[1].cardUid, residents[3].cardUid, 'ABCDEF0123456789'];
  const d = recordDelivery(ledger, { batchId: 'B-1', cardUids: box, courier, receiver });
  t.match(d.number, /^BA-STR-KTPEL\/\d{8}\/001$/);
  t.equal(d.rosterEntries, 4);
  t.equal(d.received, 3);
  t.same(d.missing, [{ letterNo: residents[2].letterNo, cardUid: residents[2].cardUid }]);
  t.same(d.extra, ['ABCDEF0123456789']);
  t.equal(ledger.itemState('ektp', residents[2].cardUid), 'not_delivered', 'the missing card left the stock');
  t.equal(ledger.itemState('ektp', residents[0].cardUid), 'on_hand');
  t.throws(() => ledger.intake(residents[2].letterNo, 'A'), { code: 'ALREADY_ISSUED' }, 'a missing card cannot be called for');
  t.ok(reconcile(db).ok, reconcile(db).problems.join('; '));
  t.equal(dailyCounts(ledger).cards.received, 3, 'the daily report counts what physically arrived');
  t.equal(dailyCounts(ledger).cards.closing, 3);
  t.throws(() => recordDelivery(ledger, { batchId: 'B-1', cardUids: box, courier, receiver }), { code: 'DELIVERY_ALREADY_RECORDED' });
  t.throws(() => recordDelivery(ledger, { batchId: 'B-9', cardUids: box, courier, receiver }), { code: 'DELIVERY_UNKNOWN_BATCH' });
  t.throws(() => db.prepare('DELETE FROM card_deliveries').run(), /append-only/);
});

t.test('parseCardUids reads a scan list', async (t) => {
  t.same(parseCardUids('04:a1:b2:c3:d4:e5:f6\n\n# box 2\n04A1B2C3D4E5F6\n0123456789abcdef  \n'), ['04A1B2C3D4E5F6', '0123456789ABCDEF']);
  t.throws(() => parseCardUids('04A1B2C3\nnot-a-uid\n'), { code: 'DELIVERY_BAD_UID', message: /line\(s\) 2/ });
});

t.test('ektp-agent delivery receive prints the berita acara with KURANG and LEBIH', async (t) => {
  const dir = t.testdir();
  const { residents, db } = ledgerWithRoster(3, { path: join(dir, 'ledger.sqlite') });
  db.close();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dataDir: dir }));
  const cards = join(dir, 'box.txt');
  writeFileSync(cards, `${residents[0].cardUid}\n${residents[1].cardUid}\n0000AAAA0000BBBB\n`);
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  let code: number;
  let usage: number;
  try {
    code = await delivery(['receive', '--config', config, '--batch', 'B-1', '--cards', cards, '--courier', 'BUDI', '--courier-position', 'Kurir Dinas']);
    usage = await delivery(['receive', '--config', config, '--batch', 'B-1']);
  } finally {
    [console.log, console.error] = [log, error];
  }
  const text = out.join('\n');
  t.equal(code, 1, 'exit 1: the box does not match');
  t.equal(usage, 2);
  t.match(text, /SERAH TERIMA KTP-el DARI DINAS/);
  t.match(text, /Nomor: BA-STR-KTPEL\/\d{8}\/001/);
  t.match(text, /Menurut daftar kiriman\s+3 keping/);
  t.match(text, /Diterima \(sesuai daftar\)\s+2 keping/);
  t.match(text, new RegExp(`KURANG:\\n1\\. Surat ${residents[2].letterNo.replaceAll('/', '\\/')}`));
  t.match(text, /UID 0000AAAA0000BBBB/);
  t.match(text, /JUMLAH TIDAK SESUAI DAFTAR/);
  t.match(text, /BUDI/);
  for (const r of residents) t.notOk(text.includes(r.biodata.nik), 'no NIK on the berita acara');
  t.match(err.join('\n'), /2 of 3 cards received; 1 missing, 1 extra/);
});
