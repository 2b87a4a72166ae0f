import { dayClosing, ticketsClosedAtDayEnd, type DayClose } from './dayClose.ts';
import { oldKtpsAwaitingReturn } from './handbacks.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';

export interface DailyCounts {
  readonly date: string;
  /** `notServed`: still waiting when the day was closed (kept apart from `cancelled`). */
  readonly queue: { readonly issued: number; readonly served: number; readonly noShow: number; readonly cancelled: number; readonly notServed: number };
  readonly results: {
    readonly berhasil: number;
    readonly gagal: number;
    /** Berhasil after a dispute: the card matched the dokumen pengesahan ("disanggah, data sesuai"). */
    readonly disputedDataCorrect: number;
    /** Gagal: the card differs from the dokumen pengesahan ("data tidak sesuai"). */
    readonly dataMismatch: number;
    /** Gagal: misprint, physical damage or unreadable chip ("KTP-el rusak", SOP step 15). */
    readonly rusak: number;
    /** "Belum dapat diverifikasi" (tertunda): a device or the chip data failed; no verdict, card kept. */
    readonly unverified: number;
  };
  /**
   * `sentOut`: e-KTPs the day moved to another box of the office (state `sent`: leased to a counter,
   * or a counter's handing back to the desk), less those that came back. Out of this box's store but
   * neither handed over nor missing; `closing` is what should be in the store (on site).
   */
  readonly cards: {
    readonly opening: number;
    readonly received: number;
    readonly handedOver: number;
    readonly returnedForDestruction: number;
    readonly sentOut: number;
    readonly closing: number;
  };
  /** `awaitingReturn`: owed back to the resident at the desk (handbacks.ts), by ticket number, oldest first. */
  readonly oldKtp: {
    readonly received: number;
    readonly returned: number;
    readonly kept: number;
    readonly handedOver: number;
    readonly onHand: number;
    readonly awaitingReturn: readonly string[];
  };
  /** The end-of-day closing with the officer's physical count, or null while the day is open. */
  readonly closing: DayClose | null;
}

const ON_SITE: ReadonlySet<string> = new Set(['on_hand', 'with_operator', 'with_support']);

/** Gagal reasons where the card itself is defective and goes to destruction as rusak. */
const RUSAK: ReadonlySet<string> = new Set(['print_mismatch', 'card_damaged', 'card_unreadable', 'sig_invalid']);

/**
 * The day's movements for the end-of-day report, replayed from custody events so the opening
 * and closing stock of e-KTPs follow from the ledger, not from a counter that could drift.
 */
export function dailyCounts(ledger: Ledger, day = ledger.day()): DailyCounts {
  const db = ledgerDatabase(ledger);
  const events = db
    .prepare('SELECT i.kind, e.from_state, e.to_state, e.at FROM custody_events e JOIN items i ON i.id = e.item_id ORDER BY e.id')
    .all() as { kind: string; from_state: string | null; to_state: string; at: string }[];
  let opening = 0;
  let received = 0;
  let handedOver = 0;
  let retained = 0;
  let sentOut = 0;
  const old = { received: 0, returned: 0, kept: 0, handedOver: 0, onHand: 0, awaitingReturn: [] as string[] };
  for (const e of events) {
    const d = ledger.day(new Date(e.at));
    if (e.kind === 'ektp') {
      // On site: in stock, with the operator or with the support officer (a call in progress).
      const delta = (ON_SITE.has(e.to_state) ? 1 : 0) - (ON_SITE.has(e.from_state ?? '') ? 1 : 0);
      if (d < day) opening += delta;
      if (d !== day) continue;
      if (e.from_state === null) received += 1;
      // On the roster but missing from the box at serah terima: never physically received.
      if (e.to_state === 'not_delivered') received -= 1;
      if (e.to_state === 'issued') handedOver += 1;
      if (e.to_state === 'retained') retained += 1;
      if (e.to_state === 'sent') sentOut += 1;
      if (e.from_state === 'sent') sentOut -= 1;
    }
    if (e.kind === 'old_ktp' && d === day) {
      if (e.to_state === 'held') old.received += 1;
      if (e.to_state === 'returned') old.returned += 1;
      if (e.to_state === 'kept' && e.from_state === 'held') old.kept += 1;
      if (e.to_state === 'handed_over') old.handedOver += 1;
    }
  }
  old.onHand = (db.prepare("SELECT COUNT(*) AS n FROM items WHERE kind = 'old_ktp' AND state = 'held'").get() as { n: number }).n;
  old.awaitingReturn = oldKtpsAwaitingReturn(ledger).map((o) => (o.day === day ? o.number : `${o.day}/${o.number}`));
  const tickets = db.prepare('SELECT state, COUNT(*) AS n FROM tickets WHERE day = ? GROUP BY state').all(day) as { state: string; n: number }[];
  const byTicket = (s: string) => tickets.find((t) => t.state === s)?.n ?? 0;
  const tx = db
    .prepare(
      `SELECT x.outcome, x.reason FROM transactions x JOIN tickets k ON k.id = x.ticket_id WHERE k.day = ? AND x.closed_at IS NOT NULL`,
    )
    .all(day) as { outcome: string; reason: string | null }[];
  const notServed = ticketsClosedAtDayEnd(ledger, day);
  return {
    date: day,
    queue: {
      issued: tickets.reduce((a, t) => a + t.n, 0),
      served: byTicket('served'),
      noShow: byTicket('no_show'),
      cancelled: byTicket('cancelled') - notServed,
      notServed,
    },
    results: {
      berhasil: tx.filter((t) => t.outcome === 'berhasil').length,
      gagal: tx.filter((t) => t.outcome === 'gagal').length,
      disputedDataCorrect: tx.filter((t) => t.outcome === 'berhasil' && t.reason === 'data_disputed').length,
      dataMismatch: tx.filter((t) => t.outcome === 'gagal' && t.reason === 'data_mismatch').length,
      rusak: tx.filter((t) => t.outcome === 'gagal' && RUSAK.has(t.reason ?? '')).length,
      unverified: tx.filter((t) => t.outcome === 'tertunda').length,
    },
    cards: { opening, received, handedOver, returnedForDestruction: retained, sentOut, closing: opening + received - handedOver - retained - sentOut },
    oldKtp: old,
    closing: dayClosing(ledger, day),
  };
}
