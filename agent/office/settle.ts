import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { applyMigrations } from '../ledger/migrate.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { applyCloseAtDesk } from './closeEffects.ts';
import { OfficeError } from './errors.ts';
import type { CloseOutcome, ReturnedItem } from './protocol.ts';
import { OFFICE_MIGRATIONS } from './schema.ts';

/**
 * Which record a supervisor found true for a conflict (a close a counter reported for a lease the
 * desk had released, authority.ts closeAfterRelease):
 * - `desk`: the release stands. The support officer did take the e-KTP and the letter back, the
 *   counter's report did not happen as sent (a replayed or mistaken close); nothing moves.
 * - `counter`: the counter did serve the resident before it went away, and the release recorded
 *   items the officer never got back. The counter's close is applied now, as the desk would have
 *   applied it on time (closeEffects.ts), and the e-KTP and letter the counter kept leave the desk's
 *   record. Only possible while the ticket is still waiting at the desk: once another counter took
 *   it, one of the two records of the same e-KTP is wrong in a way a note cannot fix.
 */
export type ConflictTruth = 'desk' | 'counter';

export interface SettledConflict {
  readonly id: number;
  readonly counter: string;
  readonly ticket: string;
  readonly reported: string;
  readonly truth: ConflictTruth;
}

const VERDICTS: ReadonlySet<string> = new Set(['berhasil', 'gagal', 'tertunda']);

/**
 * Records a supervisor's settlement of office conflict `id` on the desk's ledger, in one SQLite
 * transaction (BEGIN IMMEDIATE: the running desk writes the same file) with its audit row. After
 * it, `report office` lists the conflict as settled and balances if the custody records agree.
 */
export function settleConflict(
  parts: { db: Database; ledger: Ledger; device: string; now: () => Date },
  id: number,
  truth: ConflictTruth,
  note: string,
  by: string,
): SettledConflict {
  const { db, ledger } = parts;
  if (truth !== 'desk' && truth !== 'counter') throw new OfficeError('OFFICE_SETTLE_USAGE', '--true harus desk atau counter');
  if (note.trim().length < 5) throw new OfficeError('OFFICE_SETTLE_USAGE', 'tulis apa yang sebenarnya terjadi dengan --note (paling sedikit 5 huruf)');
  // The note stays on the desk's ledger; a NIK has no place in it (the ticket number names the case).
  if (/\d{16}/.test(note)) throw new OfficeError('OFFICE_SETTLE_USAGE', 'jangan tulis NIK di --note; sebut nomor antrean saja');
  applyMigrations(db, 'office', OFFICE_MIGRATIONS);
  return db
    .transaction((): SettledConflict => {
      const c = db
        .prepare('SELECT c.id, c.claim_id, c.counter, c.ticket_id, c.reported, c.returns, c.settled_at, k.day, k.number, k.state FROM office_conflicts c JOIN tickets k ON k.id = c.ticket_id WHERE c.id = ?')
        .get(id) as
        | { id: number; claim_id: string; counter: string; ticket_id: number; reported: string; returns: string; settled_at: string | null; day: string; number: string; state: string }
        | undefined;
      if (!c) throw new OfficeError('OFFICE_CONFLICT_UNKNOWN', `tidak ada konflik nomor ${id} di buku besar meja ini`, { detail: { id } });
      if (c.settled_at !== null) throw new OfficeError('OFFICE_CONFLICT_SETTLED', `konflik nomor ${id} sudah diselesaikan pada ${c.settled_at}; penyelesaian tidak diubah`, { detail: { id } });
      const at = parts.now().toISOString();
      const ticket = `${c.day}/${c.number}`;
      if (truth === 'counter') {
        if (!VERDICTS.has(c.reported)) {
          throw new OfficeError('OFFICE_SETTLE_NOT_POSSIBLE', `${c.counter} melaporkan ${c.reported}, bukan hasil verifikasi: tidak ada yang diterapkan; pakai --true desk`, { detail: { id } });
        }
        if (c.state !== 'waiting') {
          throw new OfficeError(
            'OFFICE_SETTLE_NOT_POSSIBLE',
            `nomor ${c.number} sudah ${c.state} lagi setelah dilepas (dilayani loket lain?): laporan ${c.counter} tidak bisa diterapkan; periksa fisik KTP-el dan hubungi Dinas`,
            { detail: { id, ticketState: c.state } },
          );
        }
        const returns = JSON.parse(c.returns) as ReturnedItem[];
        const t = applyCloseAtDesk({ db, ledger, device: parts.device, at }, c.counter, { type: 'close', claimId: c.claim_id, outcome: c.reported as CloseOutcome, returns }, c.ticket_id, 'settled_counter_true');
        // What the counter did not hand back stayed with it (issued, or given back to the resident there).
        const resident = ledger.residentById(t.residentId);
        for (const [kind, ref] of [['ektp', resident.cardUid], ['letter', resident.letterNo]] as const) {
          if (!returns.some((r) => r.kind === kind)) ledger.move(kind, ref, 'sent', null, 'settled_counter_true');
        }
        db.prepare('UPDATE office_claims SET outcome = ? WHERE claim_id = ?').run(c.reported, c.claim_id);
      }
      db.prepare('UPDATE office_conflicts SET settled_at = ?, settled_by = ?, resolution = ?, note = ? WHERE id = ?').run(at, by, truth, note.trim(), id);
      // The audit seals the note by its digest: free text may name someone, and audit data never does.
      const noteSha256 = createHash('sha256').update(note.trim()).digest('hex');
      ledger.audit('office_conflict_settled', null, { conflict: id, ticket, counter: c.counter, reported: c.reported, truth, noteSha256, by });
      return { id, counter: c.counter, ticket, reported: c.reported, truth };
    })
    .immediate();
}
