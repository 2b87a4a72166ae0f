import t from 'tap';
import { auditCustody, auditEvents, auditSheets, identifySheet, sheetFromDoc, type Sheet } from '../harness/powerloss/audit.ts';
import { parseConfig } from '../../agent/config/load.ts';
import { PrintQueue } from '../../agent/printing/printQueue.ts';
import { reprintBanner } from '../../agent/slips/reprint.ts';
import { SlipBuilder } from '../../agent/transaction/slipBuilder.ts';
import { silentLogger } from '../../drivers/logger.ts';
import { EscPosDecoder } from '../harness/printerEmulator/decoder.ts';
import { EscPosPrinter } from '../../drivers/printer/escpos.ts';
import { SimPrinter } from '../../drivers/printer/sim.ts';
import type { SlipDocument } from '../../drivers/printer/types.ts';
import type { Transport } from '../../drivers/printer/transport.ts';
import { ledgerWithRoster } from '../helpers/ledgerFixture.ts';

const TX = '0b6f3c1e-4f0a-4d8e-9a51-2f1c3b7d9e10';
const unused: Transport = {
  description: 'unused',
  open: async () => {},
  write: async () => {},
  read: async () => Buffer.alloc(0),
  discardInput: () => {},
  close: async () => {},
};

/** The slip as the emulator decodes the driver's real bytes. */
function printed(doc: SlipDocument, run = 0, index = 0): Sheet {
  const bytes = new EscPosPrinter({ transport: unused, columns: 48, logger: silentLogger }).encode(doc);
  const decoder = new EscPosDecoder();
  decoder.feed(bytes);
  return sheetFromDoc(decoder.docs[0], run, index);
}

function setup() {
  const { ledger, residents, db } = ledgerWithRoster(3);
  const config = parseConfig({ devices: { printer: { driver: 'sim', columns: 48 } } }, 'test');
  const slips = new SlipBuilder(config);
  const { ticket, resident } = ledger.intake(residents[0].letterNo, 'A');
  const facts = { queueNumber: ticket.number, at: '2026-11-27T01:10:00.000Z', resident, txId: TX };
  return { ledger, db, residents, slips, ticket, resident, facts };
}

t.test('powerlossAudit', async (t) => {
  t.test('identifies each slip kind by its title and the queue number or transaction id on it', async (t) => {
    const { slips, ticket, residents, facts } = setup();
    t.same(identifySheet(printed(slips.queueTicket(ticket.number, facts.at, 0))), { kind: 'queue_ticket', key: 'A-001', reprint: false });
    t.same(identifySheet(printed(slips.dataCheck(ticket.number, facts.at, residents[0].biodata, TX))), { kind: 'data_check', key: TX, reprint: false });
    t.same(identifySheet(printed(slips.result(facts, { outcome: 'gagal', reason: 'fp_no_match' }))), { kind: 'result', key: TX, reprint: false });
    t.same(identifySheet(printed(reprintBanner(slips.receipt(facts, false, 'petugas')))), { kind: 'receipt_staff', key: TX, reprint: true });
    t.same(identifySheet(printed(slips.receipt(facts, false, 'penerima'))), { kind: 'receipt_resident', key: TX, reprint: false });
  });

  t.test('counts a second copy without CETAK ULANG, and not one with it', async (t) => {
    const { db, slips, facts } = setup();
    const queue = new PrintQueue({ db, printer: new SimPrinter({ columns: 48 }) });
    const receipt = slips.receipt(facts, false, 'petugas');
    queue.enqueue(receipt, { txId: TX });
    const ticketSheet = printed(slips.queueTicket('A-001', facts.at, 0));
    const marked = auditSheets([ticketSheet, printed(receipt, 0, 1), printed(reprintBanner(receipt), 1, 0)], db);
    t.equal(marked.printedTwiceUnmarked, 0);
    t.equal(marked.reprintsMarked, 1);
    const unmarked = auditSheets([ticketSheet, printed(receipt, 0, 1), printed(receipt, 1, 0)], db);
    t.equal(unmarked.printedTwiceUnmarked, 1);
    t.match(unmarked.findings[0], /receipt_staff:.* not marked CETAK ULANG/);
  });

  t.test('reports a queued slip that never came out, and paper nobody queued', async (t) => {
    const { db, slips, facts } = setup();
    const queue = new PrintQueue({ db, printer: new SimPrinter({ columns: 48 }) });
    queue.enqueue(slips.result(facts, { outcome: 'berhasil', reason: null }), { txId: TX });
    const a = auditSheets([printed(slips.queueTicket('A-001', facts.at, 0))], db);
    t.equal(a.missing, 1, 'the result slip is missing');
    const b = auditSheets([printed(slips.queueTicket('A-001', facts.at, 0)), printed(slips.result(facts, { outcome: 'berhasil', reason: null })), printed(slips.queueTicket('A-009', facts.at, 0))], db);
    t.equal(b.missing, 0);
    t.equal(b.unexpected, 1, 'A-009 was never issued');
  });

  t.test('tells redelivery of one (bootId, seq) from a second event for the same transaction', async (t) => {
    const { ledger, db, ticket } = setup();
    ledger.createTransaction(TX, ticket, 'CALLED', '{}');
    ledger.closeTransaction(TX, 'batal', 'operator_abort');
    const once = { bootId: 'b1', seq: 1, txId: TX, type: 'cancelled' };
    const redelivered = auditEvents([once, once], db);
    t.same([redelivered.lost, redelivered.duplicated, redelivered.redelivered, redelivered.duplicatedRaw], [0, 0, 1, 1]);
    const twice = auditEvents([once, { ...once, bootId: 'b2', seq: 4 }], db);
    t.same([twice.lost, twice.duplicated, twice.redelivered], [0, 1, 0]);
    const none = auditEvents([{ ...once, type: 'handover' }], db);
    t.same([none.lost, none.unexpected], [1, 1]);
  });

  t.test('counts device fault events apart: no outcome requires or explains them', async (t) => {
    const { ledger, db, ticket } = setup();
    ledger.createTransaction(TX, ticket, 'CALLED', '{}');
    ledger.closeTransaction(TX, 'batal', 'operator_abort');
    const cancelled = { bootId: 'b1', seq: 1, txId: TX, type: 'cancelled' };
    const fault = { bootId: 'b1', seq: 2, txId: '3c25491c-4f0a-4319-9dd8-2cb0ac3d15b0', type: 'printer_fault' };
    const recovered = { ...fault, seq: 3 };
    const a = auditEvents([cancelled, fault, recovered], db);
    t.same([a.lost, a.unexpected, a.duplicated, a.deviceFaults], [0, 0, 0, 2]);
    t.same(a.findings, []);
    // Anything else without a closed transaction behind it is still a finding.
    const b = auditEvents([cancelled, { ...fault, type: 'handover' }], db);
    t.same([b.unexpected, b.deviceFaults], [1, 0]);
  });

  t.test('replays custody by item: every required move of a verdict exactly once', async (t) => {
    const { ledger, db, ticket, resident } = setup();
    ledger.createTransaction(TX, ticket, 'CALLED', '{}');
    ledger.recordVerdict(TX, 'berhasil', null);
    ledger.closeTransaction(TX, 'berhasil', null);
    t.equal(auditCustody(db).lost, 5, 'nothing moved yet');
    ledger.move('queue_ticket', `${ticket.day}/${ticket.number}`, 'kept', TX, 'handover');
    ledger.move('ektp', resident.cardUid, 'issued', TX, 'handover');
    ledger.move('old_ktp', resident.letterNo, 'kept', TX, 'handover');
    ledger.move('letter', resident.letterNo, 'kept', TX, 'handover');
    ledger.move('receipt', TX, 'kept', TX, 'handover', resident.id);
    const done = auditCustody(db);
    t.same([done.lost, done.duplicated, done.chainBreaks], [0, 0, 0]);
    // A second custody row for the same move, as a replayed step would write it.
    db.prepare("INSERT INTO custody_events (item_id, from_state, to_state, tx_id, reason, at) SELECT id, 'on_hand', 'issued', ?, 'handover', 'x' FROM items WHERE kind = 'ektp' AND ref = ?").run(TX, resident.cardUid);
    const twice = auditCustody(db);
    t.equal(twice.duplicated, 1);
    t.ok(twice.chainBreaks > 0, 'the item left on_hand twice');
  });

  t.test('accepts a queue number handed back by recovery and collected again by the next transaction', async (t) => {
    const { ledger, db, ticket, resident } = setup();
    const queue = `${ticket.day}/${ticket.number}`;
    const T1 = '1b6f3c1e-4f0a-4d8e-9a51-2f1c3b7d9e11';
    ledger.createTransaction(T1, ticket, 'CALLED', '{}');
    ledger.move('queue_ticket', queue, 'kept', T1, 'queue_number_collected');
    ledger.move('queue_ticket', queue, 'with_resident', T1, 'interrupted');
    ledger.closeTransaction(T1, 'batal', 'interrupted');
    ledger.createTransaction(TX, ticket, 'CALLED', '{}');
    ledger.move('queue_ticket', queue, 'kept', TX, 'queue_number_collected');
    ledger.recordVerdict(TX, 'gagal', 'fp_no_match');
    ledger.move('ektp', resident.cardUid, 'retained', TX, 'return_for_destruction');
    ledger.move('old_ktp', resident.letterNo, 'returned', TX, 'verdict_gagal');
    ledger.move('letter', resident.letterNo, 'returned', TX, 'verdict_gagal');
    ledger.closeTransaction(TX, 'gagal', 'fp_no_match');
    const a = auditCustody(db);
    t.same([a.lost, a.duplicated, a.chainBreaks], [0, 0, 0], a.findings.join('; '));
  });
});
