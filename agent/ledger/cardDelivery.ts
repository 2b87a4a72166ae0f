import { CounterError } from '../errors.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';

/**
 * Serah terima of a card delivery (module "card_delivery"; see migrate.ts): the officer checks the
 * cards physically in the Dinas's box against the roster of the batch, and both sides sign a
 * berita acara. A card on the roster but not in the box (KURANG) leaves the stock as
 * `not_delivered`, so it can neither be handed out nor be counted at closing; a card in the box but
 * not on the roster (LEBIH) is listed and goes back with the courier, never into custody.
 * Table: CARD_DELIVERY_MIGRATIONS in schema.ts.
 */

export interface DeliveryParty {
  readonly name: string;
  readonly position: string;
  readonly nip?: string;
}

export interface CardDelivery {
  /** BA-STR-KTPEL/YYYYMMDD/NNN */
  readonly number: string;
  readonly batchId: string;
  readonly receivedAt: string;
  /** Pihak pertama: the Dinas's courier; pihak kedua: the office's officer. */
  readonly courier: DeliveryParty;
  readonly receiver: DeliveryParty;
  readonly rosterEntries: number;
  /** Roster cards found in the box. */
  readonly received: number;
  /** On the roster, not in the box. */
  readonly missing: ReadonlyArray<{ readonly letterNo: string; readonly cardUid: string }>;
  /** In the box, not on the roster of this batch. */
  readonly extra: readonly string[];
}

const UID = /^[0-9A-F]{8,20}$/;

/** Card UIDs as scanned (one per line; spaces, colons and case ignored); duplicates count once. */
export function parseCardUids(text: string): string[] {
  const uids = new Set<string>();
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const uid = line.replace(/#.*$/, '').replace(/[\s:]/g, '').toUpperCase();
    if (uid === '') return;
    if (!UID.test(uid)) bad.push(i + 1);
    else uids.add(uid);
  });
  if (bad.length > 0) {
    throw new CounterError('DELIVERY_BAD_UID', `not a card UID (8-20 hex digits) on line(s) ${bad.slice(0, 10).join(', ')}`, { detail: { lines: bad } });
  }
  return [...uids];
}

export function recordDelivery(ledger: Ledger, input: { batchId: string; cardUids: readonly string[]; courier: DeliveryParty; receiver: DeliveryParty }): CardDelivery {
  return ledger.atomically(() => {
    const db = ledgerDatabase(ledger);
    const batch = db.prepare('SELECT id FROM roster_imports WHERE batch_id = ?').get(input.batchId) as { id: number } | undefined;
    if (!batch) throw new CounterError('DELIVERY_UNKNOWN_BATCH', `no roster batch ${input.batchId} was imported; import the signed roster first`);
    if (db.prepare('SELECT 1 FROM card_deliveries WHERE batch_id = ?').get(input.batchId)) {
      throw new CounterError('DELIVERY_ALREADY_RECORDED', `the delivery of batch ${input.batchId} was already recorded`);
    }
    const roster = db
      .prepare("SELECT r.letter_no, r.card_uid, i.state FROM residents r JOIN items i ON i.kind = 'ektp' AND i.ref = r.card_uid WHERE r.import_id = ? ORDER BY r.id")
      .all(batch.id) as { letter_no: string; card_uid: string; state: string }[];
    const inBox = new Set(input.cardUids);
    const onRoster = new Set(roster.map((r) => r.card_uid));
    // A card already handed out or retained was obviously delivered; only cards still on hand can be missing.
    const missing = roster.filter((r) => !inBox.has(r.card_uid) && r.state === 'on_hand').map((r) => ({ letterNo: r.letter_no, cardUid: r.card_uid }));
    const extra = input.cardUids.filter((u) => !onRoster.has(u));
    const at = ledger.now().toISOString();
    const day = ledger.day().replaceAll('-', '');
    const seq = (db.prepare('SELECT COUNT(*) AS n FROM card_deliveries WHERE number LIKE ?').get(`BA-STR-KTPEL/${day}/%`) as { n: number }).n + 1;
    const number = `BA-STR-KTPEL/${day}/${String(seq).padStart(3, '0')}`;
    for (const m of missing) ledger.move('ektp', m.cardUid, 'not_delivered', null, 'delivery_missing');
    db.prepare(
      `INSERT INTO card_deliveries (number, batch_id, received_at, courier_json, receiver_json, roster_entries, received, missing_json, extra_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(number, input.batchId, at, JSON.stringify(input.courier), JSON.stringify(input.receiver), roster.length, roster.length - missing.length, JSON.stringify(missing), JSON.stringify(extra));
    ledger.audit('cards_delivered', null, { number, batchId: input.batchId, rosterEntries: roster.length, missing: missing.length, extra });
    return {
      number,
      batchId: input.batchId,
      receivedAt: at,
      courier: input.courier,
      receiver: input.receiver,
      rosterEntries: roster.length,
      received: roster.length - missing.length,
      missing,
      extra,
    };
  });
}
