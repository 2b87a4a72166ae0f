import { createHash } from 'node:crypto';
import { CounterError } from '../errors.ts';
import { DEFAULT_NUMBER_FORMAT, formatBatchNumber, numbersPerKind } from './batchNumber.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';
import type { ItemKind } from './types.ts';

/**
 * After the counter (procedure steps 15-16): physical items leave the site in batches, each with
 * a berita acara. A batch collects items, then is signed (by both parties on paper; in the ledger
 * the signature freezes it): signing moves every item, records the batch digest in the audit
 * chain, and from then on triggers refuse any change to the batch or its items.
 */
export type BatchKind = 'ektp_destruction' | 'old_ktp_handover' | 'old_ktp_destruction';

interface BatchRule {
  readonly item: ItemKind;
  readonly from: readonly string[];
  readonly to: string;
  readonly prefix: string;
}

export const BATCH_RULES: Readonly<Record<BatchKind, BatchRule>> = {
  /** Retained e-KTPs (gagal, damaged, data mismatch) to Ditjen Dukcapil via the Dinas (SE 470.13/11176/SJ). */
  ektp_destruction: { item: 'ektp', from: ['retained'], to: 'sent_for_destruction', prefix: 'BA-PMS-KTPEL' },
  /** Old KTPs collected on success, handed to the Dinas Kabupaten/Kota with a berita acara (step 16). */
  old_ktp_handover: { item: 'old_ktp', from: ['kept'], to: 'handed_over', prefix: 'BA-STK-KTPL' },
  /**
   * The final destruction of old KTPs once the transition is over. Only from the Dinas's custody
   * (step 16): an old KTP still at the counter has to be handed over with a berita acara first.
   */
  old_ktp_destruction: { item: 'old_ktp', from: ['handed_over'], to: 'destroyed', prefix: 'BA-PMS-KTPL' },
};

export interface Party {
  readonly name: string;
  readonly position: string;
  readonly nip?: string;
}

export interface BatchLine {
  readonly itemId: number;
  readonly nik: string | null;
  readonly name: string | null;
  readonly reason: string;
}

export interface Batch {
  readonly id: number;
  readonly number: string;
  readonly kind: BatchKind;
  readonly createdAt: string;
  readonly signedAt: string | null;
  readonly digest: string | null;
  readonly pihakPertama: Party;
  readonly pihakKedua: Party;
  readonly lines: readonly BatchLine[];
}

/**
 * Why each retained e-KTP goes back for destruction, as the berita acara lists it. A card that is
 * itself defective is "Rusak" (SOP step 15: misprint, physical damage, unreadable chip); the
 * others are good cards that could not be handed over.
 */
const REASONS: Record<string, string> = {
  fp_no_match: 'Gagal verifikasi sidik jari',
  fp_quality: 'Sidik jari tidak dapat diverifikasi',
  card_unreadable: 'Rusak (chip tidak terbaca)',
  sig_invalid: 'Rusak (tanda tangan elektronik data chip tidak sah)',
  print_mismatch: 'Rusak (tulisan pada kartu tidak sesuai data chip)',
  card_damaged: 'Rusak (fisik kartu)',
  data_mismatch: 'Data tidak sesuai dokumen pengesahan',
};

export class Batches {
  private readonly numberFormat: string;
  /** `numberFormat`: the Dinas's berita acara numbering (config beritaAcara.numberFormat). */
  constructor(
    private readonly ledger: Ledger,
    opts: { numberFormat?: string } = {},
  ) {
    this.numberFormat = opts.numberFormat ?? DEFAULT_NUMBER_FORMAT;
  }

  /**
   * Opens a batch with every item currently eligible for it (e.g. all retained e-KTPs). Returns
   * null when there is nothing to put in it. An unsigned draft reserves nothing: a newer draft
   * may list the same items, and whichever is signed first takes them (the other then refuses).
   */
  create(kind: BatchKind, parties: { pihakPertama: Party; pihakKedua: Party }): Batch | null {
    const rule = BATCH_RULES[kind];
    const db = ledgerDatabase(this.ledger);
    return this.ledger.atomically(() => {
      const eligible = db
        .prepare(
          `SELECT i.id FROM items i
           WHERE i.kind = ? AND i.state IN (${rule.from.map(() => '?').join(', ')})
             AND NOT EXISTS (SELECT 1 FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
                             WHERE bi.item_id = i.id AND b.kind = ? AND b.signed_at IS NOT NULL)
           ORDER BY i.id`,
        )
        .all(rule.item, ...rule.from, kind) as { id: number }[];
      if (eligible.length === 0) return null;
      const at = new Date(this.ledger.now()).toISOString();
      const counted = numbersPerKind(this.numberFormat)
        ? (db.prepare('SELECT COUNT(*) AS n FROM batches WHERE kind = ?').get(kind) as { n: number })
        : (db.prepare('SELECT COUNT(*) AS n FROM batches').get() as { n: number });
      const number = formatBatchNumber(this.numberFormat, { kode: rule.prefix, seq: counted.n + 1, date: this.ledger.day() });
      const id = Number(
        db
          .prepare('INSERT INTO batches (number, kind, created_at, pihak_pertama, pihak_kedua) VALUES (?, ?, ?, ?, ?)')
          .run(number, kind, at, JSON.stringify(parties.pihakPertama), JSON.stringify(parties.pihakKedua)).lastInsertRowid,
      );
      const insert = db.prepare('INSERT INTO batch_items (batch_id, item_id, reason) VALUES (?, ?, ?)');
      for (const { id: itemId } of eligible) insert.run(id, itemId, this.reasonFor(itemId, kind));
      this.ledger.audit('batch_created', null, { batch: id, number, kind, items: eligible.length });
      return this.get(id);
    });
  }

  private reasonFor(itemId: number, kind: BatchKind): string {
    if (kind === 'old_ktp_handover') return 'KTP lama penerima KTP-el';
    if (kind === 'old_ktp_destruction') return 'Masa peralihan berakhir';
    const row = ledgerDatabase(this.ledger)
      .prepare(
        `SELECT x.reason FROM custody_events e JOIN transactions x ON x.id = e.tx_id
         WHERE e.item_id = ? AND e.to_state = 'retained' ORDER BY e.id DESC LIMIT 1`,
      )
      .get(itemId) as { reason: string | null } | undefined;
    return REASONS[row?.reason ?? ''] ?? 'Rusak';
  }

  /** Signs the batch: moves every item and freezes the batch; its digest enters the audit chain. */
  sign(id: number): Batch {
    const db = ledgerDatabase(this.ledger);
    return this.ledger.atomically(() => {
      const batch = this.get(id);
      if (batch.signedAt) throw new CounterError('WRONG_STATE', `batch ${batch.number} is already signed`);
      const rule = BATCH_RULES[batch.kind];
      for (const line of batch.lines) {
        const item = db.prepare('SELECT kind, ref, state FROM items WHERE id = ?').get(line.itemId) as { kind: ItemKind; ref: string; state: string };
        if (!rule.from.includes(item.state)) {
          throw new CounterError('WRONG_STATE', `item ${line.itemId} of batch ${batch.number} is ${item.state} now, not ${rule.from.join('/')}: make a new batch`);
        }
        this.ledger.move(item.kind, item.ref, rule.to as never, null, `batch:${batch.number}`);
      }
      const digest = batchDigest(batch);
      db.prepare('UPDATE batches SET signed_at = ?, digest = ? WHERE id = ?').run(new Date(this.ledger.now()).toISOString(), digest, id);
      this.ledger.audit('batch_signed', null, { batch: id, number: batch.number, kind: batch.kind, items: batch.lines.length, digest });
      return this.get(id);
    });
  }

  get(id: number): Batch {
    const db = ledgerDatabase(this.ledger);
    const b = db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as
      | { id: number; number: string; kind: BatchKind; created_at: string; signed_at: string | null; digest: string | null; pihak_pertama: string; pihak_kedua: string }
      | undefined;
    if (!b) throw new CounterError('LEDGER_INCONSISTENT', `no batch ${id}`);
    const lines = db
      .prepare(
        `SELECT bi.item_id AS itemId, r.nik, r.name, bi.reason FROM batch_items bi
         JOIN items i ON i.id = bi.item_id LEFT JOIN residents r ON r.id = i.resident_id
         WHERE bi.batch_id = ? ORDER BY bi.item_id`,
      )
      .all(id) as BatchLine[];
    return {
      id: b.id,
      number: b.number,
      kind: b.kind,
      createdAt: b.created_at,
      signedAt: b.signed_at,
      digest: b.digest,
      pihakPertama: JSON.parse(b.pihak_pertama) as Party,
      pihakKedua: JSON.parse(b.pihak_kedua) as Party,
      lines,
    };
  }

  list(): Batch[] {
    return (ledgerDatabase(this.ledger).prepare('SELECT id FROM batches ORDER BY id').all() as { id: number }[]).map((r) => this.get(r.id));
  }

  // ---- lending old KTPs during the transition ----------------------------------------------------

  /**
   * Records that the Dinas lent a handed-over old KTP back to its owner until `dueAt` (SOP step
   * 16: lending is done from the Dinas's custody, after the handover berita acara; the counter
   * never lends what it still holds).
   */
  lend(letterNo: string, dueAt: string): number {
    return this.ledger.atomically(() => {
      const item = ledgerDatabase(this.ledger).prepare("SELECT id, state FROM items WHERE kind = 'old_ktp' AND ref = ?").get(letterNo) as { id: number; state: string } | undefined;
      if (!item || item.state !== 'handed_over') {
        throw new CounterError('WRONG_STATE', 'only an old KTP handed over to the Dinas (signed berita acara) can be lent');
      }
      this.ledger.move('old_ktp', letterNo, 'lent', null, 'lent_to_owner');
      const id = Number(
        ledgerDatabase(this.ledger).prepare('INSERT INTO loans (item_id, lent_at, due_at) VALUES (?, ?, ?)').run(item.id, new Date(this.ledger.now()).toISOString(), dueAt).lastInsertRowid,
      );
      this.ledger.audit('loan_out', null, { loan: id, item: item.id, dueAt });
      return id;
    });
  }

  returnLoan(letterNo: string): void {
    this.ledger.atomically(() => {
      const loan = ledgerDatabase(this.ledger)
        .prepare("SELECT l.id, l.item_id FROM loans l JOIN items i ON i.id = l.item_id WHERE i.kind = 'old_ktp' AND i.ref = ? AND l.returned_at IS NULL")
        .get(letterNo) as { id: number; item_id: number } | undefined;
      if (!loan) throw new CounterError('WRONG_STATE', 'this old KTP is not out on loan');
      this.ledger.move('old_ktp', letterNo, 'handed_over', null, 'loan_returned');
      ledgerDatabase(this.ledger).prepare('UPDATE loans SET returned_at = ? WHERE id = ?').run(new Date(this.ledger.now()).toISOString(), loan.id);
      this.ledger.audit('loan_back', null, { loan: loan.id, item: loan.item_id });
    });
  }
}

/** The digest that freezes a batch: number, kind, parties and item list (ids and reasons). */
export function batchDigest(b: Pick<Batch, 'number' | 'kind' | 'pihakPertama' | 'pihakKedua' | 'lines'>): string {
  return createHash('sha256')
    .update(JSON.stringify([b.number, b.kind, b.pihakPertama, b.pihakKedua, b.lines.map((l) => [l.itemId, l.reason])]))
    .digest('hex');
}
