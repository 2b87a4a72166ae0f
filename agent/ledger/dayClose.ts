import { CounterError } from '../errors.ts';
import { oldKtpsAwaitingReturn } from './handbacks.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';

/**
 * End of the service day (module "day_close"; see migrate.ts). Tickets still waiting close as not
 * served and their documents go back to the resident (or stay with staff, as the office
 * configures), the officer's physical count of e-KTPs on hand is recorded next to the ledger's
 * own figure, and intake stays closed for the rest of that day. The next day starts with an
 * empty queue and numbers from 001 (Ledger.intake refuses DAY_CLOSED). Tables: DAY_CLOSE_MIGRATIONS
 * in schema.ts.
 */

export type DocumentsAtClose = 'returned' | 'kept';

export interface DayClose {
  readonly day: string;
  readonly closedAt: string;
  readonly operator: string;
  readonly documents: DocumentsAtClose;
  /** Queue numbers closed as not served, in queue order (`A-014`; earlier days as `2026-12-04/A-020`). */
  readonly tickets: readonly string[];
  /**
   * Old KTPs the desk owed back after a verdict at a counter (awaiting_return, handbacks.ts) whose
   * owner never came back for them: settled with the same `documents` choice, by ticket number.
   */
  readonly oldKtpsAwaitingReturn: readonly string[];
  /** e-KTPs on hand by the ledger at closing, and by the officer's count. */
  readonly cardsExpected: number;
  readonly cardsCounted: number;
  /** counted − expected: negative means cards missing from the drawer. */
  readonly difference: number;
}

/** A ticket of the office queue a counter is serving (agent/office/leases.ts `openLeases`). */
export interface LeasedTicket {
  readonly number: string;
  readonly day: string;
  readonly counter: string;
}

/** Each leased ticket as the operator reads it: "A-001 (loket-1)", with its day in front when not `day`. */
export function leaseLabels(leased: readonly LeasedTicket[], day: string): string[] {
  return leased.map((l) => `${l.day === day ? l.number : `${l.day}/${l.number}`} (${l.counter})`);
}

export interface CloseDayInput {
  readonly counted: number;
  readonly documents: DocumentsAtClose;
  readonly operator: string;
  /**
   * At the intake desk of a multi-counter office: the tickets leased to counters now. Asked
   * inside the close's transaction, so a claim granted meanwhile cannot slip past the check.
   */
  readonly leased?: () => readonly LeasedTicket[];
}

export function closeDay(ledger: Ledger, input: CloseDayInput): DayClose {
  if (!Number.isInteger(input.counted) || input.counted < 0) {
    throw new CounterError('DAY_COUNT_INVALID', 'the physical count of e-KTPs on hand must be a whole number, 0 or more');
  }
  return ledger.atomically(() => {
    const db = ledgerDatabase(ledger);
    const day = ledger.day();
    if (db.prepare('SELECT 1 FROM day_closes WHERE day = ?').get(day)) {
      throw new CounterError('DAY_ALREADY_CLOSED', `the service day ${day} is already closed`, { detail: { day } });
    }
    const open = (db.prepare('SELECT COUNT(*) AS n FROM transactions WHERE closed_at IS NULL').get() as { n: number }).n;
    if (open > 0) {
      throw new CounterError('DAY_OPEN_TRANSACTION', `${open} resident(s) still being served: finish or cancel (BATAL) before closing the day`, {
        detail: { open },
      });
    }
    // A leased ticket is a resident at a counter: its e-KTP and letter are on that counter's table
    // and its close is on the way. Closing it here as not served would record the letter back at
    // the desk and leave the counter's verdict to land on a cancelled ticket. The support officer
    // waits for the counters, as a counter's operator finishes or cancels first (above); a counter
    // that died is released by hand once its items are fetched, and its ticket then closes here.
    const leased = input.leased?.() ?? [];
    if (leased.length > 0) {
      const named = leaseLabels(leased, day).join(', ');
      throw new CounterError(
        'DAY_TICKETS_LEASED',
        `Hari pelayanan belum dapat ditutup: nomor antrean ${named} masih dilayani di loket. Tunggu sampai loket melaporkan ` +
          'selesai, lalu ulangi. Loket yang mati: ambil KTP-el dan surat dari loket itu, lalu ' +
          '`ektp-agent office release --ticket NOMOR --confirm-retrieved`.',
        { detail: { leased: leased.map((l) => ({ ...l })) } },
      );
    }
    // Called tickets without an open transaction or a lease cannot exist after the checks above; waiting
    // ones from earlier days (a day never closed) close now too.
    const waiting = db
      .prepare("SELECT t.id, t.number, t.day, r.letter_no FROM tickets t JOIN residents r ON r.id = t.resident_id WHERE t.state IN ('waiting', 'called') ORDER BY t.issued_at, t.id")
      .all() as { id: number; number: string; day: string; letter_no: string }[];
    const cardsExpected = (db.prepare("SELECT COUNT(*) AS n FROM items WHERE kind = 'ektp' AND state = 'on_hand'").get() as { n: number }).n;
    const closedAt = ledger.now().toISOString();
    const id = Number(
      db
        .prepare('INSERT INTO day_closes (day, closed_at, operator, documents, cards_expected, cards_counted) VALUES (?, ?, ?, ?, ?, ?)')
        .run(day, closedAt, input.operator, input.documents, cardsExpected, input.counted).lastInsertRowid,
    );
    const link = db.prepare('INSERT INTO day_close_tickets (day_close_id, ticket_id) VALUES (?, ?)');
    const reason = input.documents === 'returned' ? 'day_closed_returned' : 'day_closed_kept';
    for (const t of waiting) {
      ledger.setTicketState(t.id, 'cancelled');
      link.run(id, t.id);
      ledger.move('old_ktp', t.letter_no, input.documents, null, reason);
      ledger.move('letter', t.letter_no, input.documents, null, reason);
    }
    // Their tickets are closed already; only the old KTP is still in the drawer.
    const owed = oldKtpsAwaitingReturn(ledger);
    for (const o of owed) ledger.move('old_ktp', o.letterNo, input.documents, null, reason);
    const difference = input.counted - cardsExpected;
    ledger.audit('day_closed', null, {
      day,
      tickets: waiting.map((t) => t.id),
      oldKtpsAwaitingReturn: owed.map((o) => `${o.day}/${o.number}`),
      documents: input.documents,
      cardsExpected,
      cardsCounted: input.counted,
      difference,
    });
    return {
      day,
      closedAt,
      operator: input.operator,
      documents: input.documents,
      tickets: waiting.map((t) => (t.day === day ? t.number : `${t.day}/${t.number}`)),
      oldKtpsAwaitingReturn: owed.map((o) => (o.day === day ? o.number : `${o.day}/${o.number}`)),
      cardsExpected,
      cardsCounted: input.counted,
      difference,
    };
  });
}

/** The closing of `day`, or null when the day was not closed. */
export function dayClosing(ledger: Ledger, day: string): DayClose | null {
  const row = ledgerDatabase(ledger).prepare('SELECT * FROM day_closes WHERE day = ?').get(day) as
    | { id: number; day: string; closed_at: string; operator: string; documents: DocumentsAtClose; cards_expected: number; cards_counted: number }
    | undefined;
  if (!row) return null;
  const tickets = ledgerDatabase(ledger)
    .prepare('SELECT t.number, t.day FROM day_close_tickets c JOIN tickets t ON t.id = c.ticket_id WHERE c.day_close_id = ? ORDER BY t.issued_at, t.id')
    .all(row.id) as { number: string; day: string }[];
  // What the close settled of the old KTPs owed back: its audit row says (older closes have none).
  const audit = ledgerDatabase(ledger)
    .prepare("SELECT data FROM audit WHERE action = 'day_closed' AND json_extract(data, '$.day') = ? ORDER BY id DESC LIMIT 1")
    .get(row.day) as { data: string } | undefined;
  const owed = audit ? ((JSON.parse(audit.data) as { oldKtpsAwaitingReturn?: string[] }).oldKtpsAwaitingReturn ?? []) : [];
  return {
    day: row.day,
    closedAt: row.closed_at,
    operator: row.operator,
    documents: row.documents,
    tickets: tickets.map((t) => (t.day === row.day ? t.number : `${t.day}/${t.number}`)),
    oldKtpsAwaitingReturn: owed.map((o) => (o.startsWith(`${row.day}/`) ? o.slice(row.day.length + 1) : o)),
    cardsExpected: row.cards_expected,
    cardsCounted: row.cards_counted,
    difference: row.cards_counted - row.cards_expected,
  };
}

/** Tickets of `day` closed as not served at the end of a day (counted apart from cancellations). */
export function ticketsClosedAtDayEnd(ledger: Ledger, day: string): number {
  return (
    ledgerDatabase(ledger).prepare('SELECT COUNT(*) AS n FROM day_close_tickets c JOIN tickets t ON t.id = c.ticket_id WHERE t.day = ?').get(day) as { n: number }
  ).n;
}
