import type { Database } from 'better-sqlite3';
import type { Logger } from '../../drivers/logger.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Ticket } from '../ledger/types.ts';
import type { OfficeJournal } from './journal.ts';
import type { OfficeLink, OfficeLinkRefusal } from './link.ts';
import { JournalPump } from './node.ts';
import type { ClaimReply, ClaimRequest, JournalBody, JournalMessage } from './protocol.ts';
import { rosterRefOf } from '../ledger/officeTickets.ts';
import { applyCloseAtDesk } from './closeEffects.ts';


/**
 * The office queue, kept by the intake desk's ledger. A claim hands out the next waiting ticket
 * once: the lease, the ticket's state and the e-KTP and letter leaving for the counter commit in
 * one SQLite transaction keyed by the claim id, so a repeated claim gets the same answer and a
 * ticket is leased to one counter until that counter reports how it closed.
 */
export class QueueAuthority {
  private readonly pump: JournalPump;
  private readonly log: Logger;

  constructor(
    private readonly parts: {
      db: Database;
      ledger: Ledger;
      journal: OfficeJournal;
      link: OfficeLink;
      device: string;
      resendMs: number;
      now: () => Date;
      logger: Logger;
      /** Why no ticket may be leased now (the desk's ledger stopped verifying), or null. */
      refusal?: () => string | null;
    },
  ) {
    this.log = parts.logger.child({ module: 'office' });
    this.pump = new JournalPump(parts.journal, parts.link, (m) => this.apply(m), { resendMs: parts.resendMs, now: parts.now, logger: this.log });
  }

  start(): void {
    this.parts.link.on('claim', (req, to) => {
      let reply: ClaimReply;
      try {
        reply = this.claim(req);
      } catch (err) {
        // No answer: the counter times out, abandons the claim id and says the queue is away.
        this.log.error({ err, counter: req.counter }, 'claim failed');
        return;
      }
      this.parts.link.reply(to, reply);
    });
    this.pump.start();
    this.parts.link.start();
  }

  /** The office link's state for the desk's LEDs: refused (coded) or accepted again. */
  onLink(refused: (code: OfficeLinkRefusal) => void, up: () => void): void {
    this.parts.link.on('refused', refused);
    this.parts.link.on('up', up);
  }

  async stop(): Promise<void> {
    this.pump.stop();
    await this.parts.link.stop();
  }

  claim(req: ClaimRequest): ClaimReply {
    const { db, ledger } = this.parts;
    const at = this.parts.now().toISOString();
    return ledger.atomically((): ClaimReply => {
      const seen = db.prepare('SELECT ticket_id, state FROM office_claims WHERE claim_id = ?').get(req.claimId) as { ticket_id: number | null; state: string } | undefined;
      if (seen) {
        if (seen.state === 'abandoned' || seen.ticket_id === null) return { status: 'abandoned', claimId: req.claimId };
        return this.granted(req.claimId, ledger.ticket(seen.ticket_id));
      }
      // A lease moves the e-KTP and the letter out of the desk's custody: new custody events that
      // could bury an edit of those very items. The closes of tickets already leased still apply
      // (the residents at the counters are finished), as a counter finishes the one it serves.
      const refused = this.parts.refusal?.() ?? null;
      if (refused) {
        this.log.warn({ code: refused, counter: req.counter }, 'claim refused: the desk ledger does not verify');
        return { status: 'refused', claimId: req.claimId, code: refused };
      }
      const next = ledger.nextWaiting();
      if (!next) return { status: 'empty', claimId: req.claimId };
      ledger.setTicketState(next.id, 'called', true);
      db.prepare("INSERT INTO office_claims (claim_id, counter, ticket_id, state, at, leased_at) VALUES (?, ?, ?, 'leased', ?, ?)").run(req.claimId, req.counter, next.id, at, at);
      const resident = ledger.residentById(next.residentId);
      // The support officer takes the e-KTP from the card store and the letter to the operator.
      for (const [kind, ref, arrives] of [['ektp', resident.cardUid, 'on_hand'], ['letter', resident.letterNo, 'held']] as const) {
        ledger.move(kind, ref, 'sent', null, `to_${req.counter}`);
        db.prepare("INSERT INTO office_moves (move_id, kind, ref, from_device, to_device, to_state, direction, sent_at) VALUES (?, ?, ?, ?, ?, ?, 'out', ?)")
          .run(`${req.claimId}:${kind}`, kind, ref, this.parts.device, req.counter, arrives, at);
      }
      this.log.info({ ticket: next.number, counter: req.counter }, 'ticket leased');
      return this.granted(req.claimId, ledger.ticket(next.id));
    });
  }

  private granted(claimId: string, t: Ticket): ClaimReply {
    return { status: 'granted', claimId, ticket: { number: t.number, day: t.day, issuedAt: t.issuedAt, resident: rosterRefOf(this.parts.ledger, t.residentId), calls: t.calls } };
  }

  /** A journal message from a counter, applied once inside JournalPump's transaction. */
  private apply(m: JournalMessage): void {
    const { db, ledger } = this.parts;
    const at = this.parts.now().toISOString();
    const body = m.body;
    const claim = db.prepare('SELECT ticket_id, state, counter FROM office_claims WHERE claim_id = ?').get(body.claimId) as
      | { ticket_id: number | null; state: string; counter: string }
      | undefined;
    if (body.type === 'claim_ack') {
      db.prepare("UPDATE office_moves SET acked_at = ? WHERE move_id IN (?, ?) AND acked_at IS NULL").run(at, `${body.claimId}:ektp`, `${body.claimId}:letter`);
      return;
    }
    if (body.type === 'abandon') {
      if (!claim) {
        // Never granted (lost on the way): remember the id so a late copy hands nothing out.
        db.prepare("INSERT INTO office_claims (claim_id, counter, ticket_id, state, at) VALUES (?, ?, NULL, 'abandoned', ?)").run(body.claimId, m.from, at);
        return;
      }
      if (claim.state !== 'leased' || claim.ticket_id === null) return;
      const t = ledger.ticket(claim.ticket_id);
      const resident = ledger.residentById(t.residentId);
      ledger.setTicketState(t.id, 'waiting');
      ledger.move('ektp', resident.cardUid, 'on_hand', null, 'claim_abandoned');
      ledger.move('letter', resident.letterNo, 'held', null, 'claim_abandoned');
      db.prepare('DELETE FROM office_moves WHERE move_id IN (?, ?)').run(`${body.claimId}:ektp`, `${body.claimId}:letter`);
      db.prepare("UPDATE office_claims SET state = 'abandoned', at = ? WHERE claim_id = ?").run(at, body.claimId);
      this.log.warn({ ticket: t.number, counter: m.from }, 'claim abandoned by the counter; ticket back in the queue');
      return;
    }
    // close
    if (claim?.state === 'released' && claim.ticket_id !== null) return this.closeAfterRelease(m.from, body, claim.ticket_id);
    if (!claim || claim.state !== 'leased' || claim.ticket_id === null) {
      this.log.warn({ counter: m.from, state: claim?.state ?? null }, 'close for a claim that is not leased; ignored');
      return;
    }
    const t = applyCloseAtDesk({ db, ledger, device: this.parts.device, at }, m.from, body, claim.ticket_id, `back_from_${m.from}`);
    // A close proves the counter had the items even if its claim_ack was lost.
    db.prepare('UPDATE office_moves SET acked_at = ? WHERE move_id IN (?, ?) AND acked_at IS NULL').run(at, `${body.claimId}:ektp`, `${body.claimId}:letter`);
    db.prepare("UPDATE office_claims SET state = 'closed', outcome = ?, at = ? WHERE claim_id = ?").run(body.outcome, at, body.claimId);
    this.log.info({ ticket: t.number, counter: m.from, outcome: body.outcome }, 'leased ticket closed');
  }

  /**
   * A counter came back and reports a close for a lease the support officer released meanwhile
   * (agent/office/leases.ts): the desk already has the e-KTP and the letter and the ticket went
   * back to the queue, maybe to another counter. Applying it would count the ticket and move the
   * items a second time, so it is recorded as a conflict for a supervisor (`report office`) and
   * acknowledged, which lets the counter's journal drain. The items the counter sends back are
   * recorded as received: the release already took them in under the same move ids.
   */
  private closeAfterRelease(from: string, body: Extract<JournalBody, { type: 'close' }>, ticketId: number): void {
    const { db, ledger } = this.parts;
    const at = this.parts.now().toISOString();
    const t = ledger.ticket(ticketId);
    const resident = ledger.residentById(t.residentId);
    db.prepare('INSERT INTO office_conflicts (claim_id, counter, ticket_id, reported, returns, ticket_state, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      body.claimId,
      from,
      ticketId,
      body.outcome,
      JSON.stringify(body.returns),
      t.state,
      at,
    );
    for (const r of body.returns) {
      const ref = r.kind === 'ektp' ? resident.cardUid : resident.letterNo;
      db.prepare("INSERT OR IGNORE INTO office_moves (move_id, kind, ref, from_device, to_device, to_state, direction, sent_at, acked_at) VALUES (?, ?, ?, ?, ?, ?, 'in', ?, ?)")
        .run(`${body.claimId}:${r.kind}:back`, r.kind, ref, from, this.parts.device, r.state, at, at);
    }
    ledger.audit('office_close_after_release', null, { ticket: t.id, counter: from, claim: body.claimId, reported: body.outcome });
    this.log.warn({ code: 'OFFICE_CLOSE_AFTER_RELEASE', ticket: t.number, counter: from, outcome: body.outcome }, 'close for a released lease: recorded as a conflict, not applied');
  }
}
