import type { Database } from 'better-sqlite3';

export interface OfficeBox {
  /** The box's device id (config counter.id), e.g. meja-1, loket-2. */
  readonly device: string;
  readonly db: Database;
}

export interface ItemHolding {
  readonly kind: string;
  /** Card UID or letter number: stays on the box that prints the report, never on MQTT. */
  readonly ref: string;
  readonly holders: readonly string[];
}

export interface PendingMove {
  readonly moveId: string;
  readonly kind: string;
  readonly ref: string;
  readonly from: string;
  readonly to: string;
  readonly toState: string;
  readonly sentAt: string;
}

/** A close a counter reported for a lease the desk had released (authority.ts closeAfterRelease). */
export interface ReleaseConflict {
  /** Its number for `ektp-agent office settle --conflict ID`. */
  readonly id: number;
  readonly counter: string;
  readonly ticket: string;
  /** What the counter reported: a verdict here means the counter served a resident the desk took back. */
  readonly reported: string;
  /** The ticket's state at the desk when the close arrived. */
  readonly ticketStateAtDesk: string;
  readonly at: string;
  /** berhasil / gagal / tertunda: the counter says it served the resident; a supervisor must settle it. */
  readonly needsSupervisor: boolean;
  /** The supervisor's settlement (settle.ts), or null while open. */
  readonly settled: { readonly at: string; readonly by: string; readonly truth: string; readonly note: string } | null;
}

/** An old KTP the desk still owes its owner (agent/ledger/handbacks.ts): held by the desk, listed for the officer. */
export interface OwedOldKtp {
  readonly ticket: string;
  readonly since: string;
}

/** An item a counter's ledger still holds under a lease the desk released (the box never came back). */
export interface ReleasedHolding {
  readonly kind: string;
  readonly counter: string;
  readonly claimId: string;
}

export interface OfficeReport {
  readonly boxes: readonly string[];
  readonly items: number;
  /** Every item with exactly one holder: a box of the office, the resident, the Dinas, or "in transit a→b". */
  readonly withoutHolder: readonly ItemHolding[];
  readonly withTwoHolders: readonly ItemHolding[];
  /** Moves a box sent that the receiving box has not recorded yet. */
  readonly unacknowledged: readonly PendingMove[];
  readonly tickets: { readonly byState: Readonly<Record<string, number>>; readonly servedTwice: readonly string[]; readonly leasedButNotOpen: readonly string[] };
  readonly holders: Readonly<Record<string, number>>;
  /** Leases the support officer released (`ektp-agent office release`), and closes reported after. */
  readonly released: { readonly leases: number; readonly stillOnCounterLedger: readonly ReleasedHolding[]; readonly conflicts: readonly ReleaseConflict[] };
  /** Old KTPs waiting at the desk to go back to their owners (not a fault: the desk holds them). */
  readonly oldKtpsAwaitingReturn: readonly OwedOldKtp[];
  readonly ok: boolean;
}

const RESIDENT = new Set(['issued', 'returned', 'with_resident', 'lent']);
const LEFT_OFFICE = new Set(['sent_for_destruction', 'handed_over', 'destroyed']);

/**
 * The office reconciliation: joins the ledgers of the intake desk and every counter. An item is
 * held by the box whose ledger has it in a holding state; `sent` means it left for another box,
 * which holds it once it recorded the move ("in transit" until then). Items handed to the
 * resident or to the Dinas are held by them. Exactly one holder per item, and no move left
 * unacknowledged, is what "balances" means. A lease the support officer released moved the
 * items back to the desk: a counter ledger that still holds them under that lease (the box never
 * came back) is listed, not counted; a counter that came back and reported a verdict for it is a
 * conflict for a supervisor and keeps the office from balancing until settled (settle.ts).
 */
export function officeReport(boxes: readonly OfficeBox[], authority: string): OfficeReport {
  const auth = boxes.find((b) => b.device === authority);
  const hasTable = (b: OfficeBox, name: string) => !!b.db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(name);
  // Leases the desk released: the desk took the items back from that counter (leases.ts).
  const releasedClaims = new Set(
    auth && hasTable(auth, 'office_claims') ? (auth.db.prepare("SELECT claim_id FROM office_claims WHERE state = 'released'").all() as { claim_id: string }[]).map((r) => r.claim_id) : [],
  );
  const claimOf = (moveId: string) => moveId.slice(0, moveId.indexOf(':'));
  const stillOnCounterLedger: ReleasedHolding[] = [];
  const holdings = new Map<string, { kind: string; ref: string; holders: string[] }>();
  const inMoves = new Map<string, Set<string>>();
  const outMoves: PendingMove[] = [];
  for (const b of boxes) {
    const hasOffice = !!b.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'office_moves'").get();
    if (hasOffice) {
      const ins = new Set((b.db.prepare("SELECT move_id FROM office_moves WHERE direction = 'in'").all() as { move_id: string }[]).map((r) => r.move_id));
      inMoves.set(b.device, ins);
      for (const r of b.db.prepare("SELECT move_id, kind, ref, from_device, to_device, to_state, sent_at FROM office_moves WHERE direction = 'out'").all() as {
        move_id: string;
        kind: string;
        ref: string;
        from_device: string;
        to_device: string;
        to_state: string;
        sent_at: string;
      }[]) {
        outMoves.push({ moveId: r.move_id, kind: r.kind, ref: r.ref, from: r.from_device, to: r.to_device, toState: r.to_state, sentAt: r.sent_at });
      }
    }
    // How each item last came into this box: under a released lease, the box's own ledger still
    // holds what the support officer took back from it (a box that never came back).
    const lastIn = new Map<string, string>();
    if (hasOffice && b.device !== authority) {
      for (const r of b.db.prepare("SELECT kind, ref, move_id FROM office_moves WHERE direction = 'in' ORDER BY rowid").all() as { kind: string; ref: string; move_id: string }[]) {
        lastIn.set(`${r.kind}\u0000${r.ref}`, r.move_id);
      }
    }
    for (const r of b.db.prepare('SELECT kind, ref, state FROM items').all() as { kind: string; ref: string; state: string }[]) {
      const key = `${r.kind}\u0000${r.ref}`;
      const h = holdings.get(key) ?? { kind: r.kind, ref: r.ref, holders: [] };
      holdings.set(key, h);
      if (r.state === 'sent') continue;
      const holder = RESIDENT.has(r.state) ? 'resident' : LEFT_OFFICE.has(r.state) ? 'dinas' : b.device;
      const via = lastIn.get(key);
      if (holder === b.device && via !== undefined && releasedClaims.has(claimOf(via))) {
        stillOnCounterLedger.push({ kind: r.kind, counter: b.device, claimId: claimOf(via) });
        continue;
      }
      // A receipt or queue number the resident holds is one holding even if two boxes saw it.
      if (!(holder === 'resident' && h.holders.includes('resident'))) h.holders.push(holder);
    }
  }
  // The desk's moves out to a counter under a released lease were settled by the release itself.
  const settled = (m: PendingMove) => m.from === authority && releasedClaims.has(claimOf(m.moveId)) && !m.moveId.endsWith(':back');
  const unacknowledged = outMoves.filter((m) => !inMoves.get(m.to)?.has(m.moveId) && !settled(m));
  // An item whose last move is still on the way is held "in transit" by nobody's ledger yet.
  for (const m of unacknowledged) {
    const h = holdings.get(`${m.kind}\u0000${m.ref}`);
    if (h && h.holders.length === 0) h.holders.push(`in_transit:${m.from}->${m.to}`);
  }
  const all = [...holdings.values()];
  const holders: Record<string, number> = {};
  for (const h of all) for (const x of h.holders) holders[x.startsWith('in_transit') ? 'in_transit' : x] = (holders[x.startsWith('in_transit') ? 'in_transit' : x] ?? 0) + 1;

  const byState: Record<string, number> = {};
  const leasedButNotOpen: string[] = [];
  if (auth) {
    for (const r of auth.db.prepare('SELECT state, COUNT(*) AS n FROM tickets GROUP BY state').all() as { state: string; n: number }[]) byState[r.state] = r.n;
    // A ticket the desk thinks is called must be leased to a counter that has it open.
    const leased = auth.db.prepare("SELECT k.day, k.number, c.counter, c.claim_id FROM tickets k JOIN office_claims c ON c.ticket_id = k.id AND c.state = 'leased' WHERE k.state = 'called'").all() as {
      day: string;
      number: string;
      counter: string;
      claim_id: string;
    }[];
    for (const l of leased) {
      const box = boxes.find((b) => b.device === l.counter);
      const open = box?.db.prepare('SELECT 1 FROM tickets k JOIN transactions t ON t.ticket_id = k.id WHERE k.claim_id = ? AND t.closed_at IS NULL').get(l.claim_id);
      if (!open) leasedButNotOpen.push(`${l.day}/${l.number}`);
    }
    const orphan = auth.db.prepare("SELECT k.day, k.number FROM tickets k WHERE k.state = 'called' AND NOT EXISTS (SELECT 1 FROM office_claims c WHERE c.ticket_id = k.id AND c.state = 'leased')").all() as { day: string; number: string }[];
    leasedButNotOpen.push(...orphan.map((o) => `${o.day}/${o.number}`));
  }
  // Served twice: more than one verdict for one ticket number across all counters.
  const verdicts = new Map<string, number>();
  for (const b of boxes) {
    for (const r of b.db.prepare("SELECT k.day, k.number, COUNT(*) AS n FROM transactions t JOIN tickets k ON k.id = t.ticket_id WHERE t.outcome IN ('berhasil', 'gagal') GROUP BY k.day, k.number").all() as {
      day: string;
      number: string;
      n: number;
    }[]) {
      const key = `${r.day}/${r.number}`;
      verdicts.set(key, (verdicts.get(key) ?? 0) + r.n);
    }
  }
  const servedTwice = [...verdicts].filter(([, n]) => n > 1).map(([k]) => k);
  const settleColumns = auth && hasTable(auth, 'office_conflicts') && (auth.db.prepare("SELECT 1 FROM pragma_table_info('office_conflicts') WHERE name = 'settled_at'").get() !== undefined);
  const conflicts: ReleaseConflict[] =
    auth && hasTable(auth, 'office_conflicts')
      ? (
          auth.db
            .prepare(
              `SELECT c.id, c.counter, k.day, k.number, c.reported, c.ticket_state, c.at,
                 ${settleColumns ? 'c.settled_at, c.settled_by, c.resolution, c.note' : 'NULL AS settled_at, NULL AS settled_by, NULL AS resolution, NULL AS note'}
               FROM office_conflicts c JOIN tickets k ON k.id = c.ticket_id ORDER BY c.id`,
            )
            .all() as {
            id: number;
            counter: string;
            day: string;
            number: string;
            reported: string;
            ticket_state: string;
            at: string;
            settled_at: string | null;
            settled_by: string | null;
            resolution: string | null;
            note: string | null;
          }[]
        ).map((r) => ({
          id: r.id,
          counter: r.counter,
          ticket: `${r.day}/${r.number}`,
          reported: r.reported,
          ticketStateAtDesk: r.ticket_state,
          at: r.at,
          needsSupervisor: ['berhasil', 'gagal', 'tertunda'].includes(r.reported),
          settled: r.settled_at === null ? null : { at: r.settled_at, by: r.settled_by ?? '', truth: r.resolution ?? '', note: r.note ?? '' },
        }))
      : [];
  const oldKtpsAwaitingReturn: OwedOldKtp[] = auth
    ? (
        auth.db
          .prepare(
            `SELECT k.day, k.number, i.updated_at AS since FROM items i JOIN tickets k ON k.id = (SELECT MAX(id) FROM tickets WHERE resident_id = i.resident_id)
             WHERE i.kind = 'old_ktp' AND i.state = 'awaiting_return' ORDER BY i.updated_at, k.id`,
          )
          .all() as { day: string; number: string; since: string }[]
      ).map((r) => ({ ticket: `${r.day}/${r.number}`, since: r.since }))
    : [];
  const withoutHolder = all.filter((h) => h.holders.length === 0);
  const withTwoHolders = all.filter((h) => h.holders.length > 1);
  return {
    boxes: boxes.map((b) => b.device),
    items: all.length,
    withoutHolder,
    withTwoHolders,
    unacknowledged,
    tickets: { byState, servedTwice, leasedButNotOpen },
    holders,
    released: { leases: releasedClaims.size, stillOnCounterLedger, conflicts },
    oldKtpsAwaitingReturn,
    ok:
      withoutHolder.length === 0 &&
      withTwoHolders.length === 0 &&
      unacknowledged.length === 0 &&
      servedTwice.length === 0 &&
      leasedButNotOpen.length === 0 &&
      !conflicts.some((c) => c.needsSupervisor && c.settled === null),
  };
}
