import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../../drivers/logger.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { TxInfo, TxInput } from '../transaction/states.ts';
import type { OfficeJournal } from './journal.ts';
import type { OfficeLink } from './link.ts';
import { JournalPump } from './node.ts';
import type { CloseOutcome, ReturnedItem } from './protocol.ts';
import { claimedTicketsNotStarted, recordClaimedTicket, residentIdOf } from '../ledger/officeTickets.ts';

/**
 * A counter's side of the office queue. PANGGIL claims the next ticket from the intake desk with
 * a fresh claim id, recorded before it is sent; the granted ticket, the e-KTP and the letter are
 * committed here in one transaction with the claim's acknowledgement. A claim that times out,
 * or that a crash left uncommitted, is abandoned through the journal, so the desk puts the
 * ticket back: nothing stays half-claimed. When a transaction closes, the items that go back
 * to the desk and the outcome travel in the journal in the same SQLite transaction.
 */
export class OfficeQueueClient {
  private readonly pump: JournalPump;
  private readonly log: Logger;

  constructor(
    private readonly parts: {
      db: Database;
      ledger: Ledger;
      journal: OfficeJournal;
      link: OfficeLink;
      device: string;
      authority: string;
      claimTimeoutMs: number;
      resendMs: number;
      now: () => Date;
      logger: Logger;
    },
  ) {
    this.log = parts.logger.child({ module: 'office' });
    this.pump = new JournalPump(parts.journal, parts.link, () => undefined, { resendMs: parts.resendMs, now: parts.now, logger: this.log });
  }

  get connected(): boolean {
    return this.parts.link.connected;
  }

  /** Abandons claims a crash left pending and closes claimed tickets that never started. */
  start(): void {
    const { db, ledger, journal } = this.parts;
    const at = this.stamp();
    ledger.atomically(() => {
      for (const { claim_id } of db.prepare('SELECT claim_id FROM office_pending_claims').all() as { claim_id: string }[]) {
        journal.enqueue(this.parts.authority, { type: 'abandon', claimId: claim_id }, at);
        db.prepare('DELETE FROM office_pending_claims WHERE claim_id = ?').run(claim_id);
        this.log.warn({}, 'abandoned a claim left pending by a restart');
      }
      for (const id of claimedTicketsNotStarted(ledger)) this.closeTicket(id, 'interrupted');
    });
    this.pump.start();
    this.parts.link.start();
  }

  /** Journal messages the desk has not acknowledged yet. */
  journalDepth(): number {
    return this.parts.journal.depth();
  }

  /** Claims sent and not yet answered, recorded or abandoned. */
  pendingClaims(): number {
    return (this.parts.db.prepare('SELECT COUNT(*) AS n FROM office_pending_claims').get() as { n: number }).n;
  }

  async stop(): Promise<void> {
    this.pump.stop();
    await this.parts.link.stop();
  }

  /** PANGGIL: the next ticket of the office, or a coded reason why not. Never rejects. */
  async claim(): Promise<TxInput> {
    const { db, ledger, link, journal } = this.parts;
    // A box the broker refuses says why (credentials, ACL, certificate): PANGGIL again cannot help.
    if (!link.connected) return { type: 'claim_failed', code: link.refused ?? 'QUEUE_UNREACHABLE' };
    const claimId = randomUUID();
    db.prepare('INSERT INTO office_pending_claims (claim_id, at) VALUES (?, ?)').run(claimId, this.stamp());
    const reply = await link.requestClaim({ claimId, counter: this.parts.device }, this.parts.claimTimeoutMs).catch(() => null);
    const forget = () => db.prepare('DELETE FROM office_pending_claims WHERE claim_id = ?').run(claimId);
    if (reply?.status === 'empty') {
      forget();
      return { type: 'claim_failed', code: 'QUEUE_EMPTY' };
    }
    if (reply?.status === 'refused') {
      // Nothing was leased: no abandon to send. The desk's own code goes to the log, the operator
      // sees that the office queue is out of service until the Dinas has looked at the desk.
      forget();
      this.log.error({ code: 'QUEUE_LEDGER_REFUSED', deskCode: reply.code }, "the intake desk's ledger does not verify; it leases no ticket");
      return { type: 'claim_failed', code: 'QUEUE_LEDGER_REFUSED' };
    }
    if (!reply || reply.status !== 'granted') {
      ledger.atomically(() => {
        forget();
        journal.enqueue(this.parts.authority, { type: 'abandon', claimId }, this.stamp());
      });
      this.pump.flush();
      this.log.warn({ claimId }, 'office queue did not answer; claim abandoned');
      return { type: 'claim_failed', code: 'QUEUE_UNREACHABLE' };
    }
    const t = reply.ticket;
    try {
      const ticket = ledger.atomically(() => {
        const residentId = residentIdOf(ledger, t.resident);
        if (residentId === null) throw new Error(`roster batch ${t.resident.batch} is not imported on this counter`);
        const resident = ledger.residentById(residentId);
        const ticket = recordClaimedTicket(ledger, t, residentId, claimId);
        const at = this.stamp();
        // Into this box's hold as the desk's support officer had them (on_hand / held): the call
        // that follows moves them to the operator with the SOP's own prior states (ledgerEffects.ts).
        for (const [kind, ref, state] of [['ektp', resident.cardUid, 'on_hand'], ['letter', resident.letterNo, 'held']] as const) {
          ledger.move(kind, ref, state, null, 'received_from_intake', residentId);
          db.prepare("INSERT OR IGNORE INTO office_moves (move_id, kind, ref, from_device, to_device, to_state, direction, sent_at, acked_at) VALUES (?, ?, ?, ?, ?, ?, 'in', ?, ?)")
            .run(`${claimId}:${kind}`, kind, ref, this.parts.authority, this.parts.device, state, at, at);
        }
        forget();
        journal.enqueue(this.parts.authority, { type: 'claim_ack', claimId }, at);
        return ticket;
      });
      this.pump.flush();
      return { type: 'claimed', ticket };
    } catch (err) {
      this.log.error({ err }, 'claimed ticket could not be recorded; abandoning the claim');
      ledger.atomically(() => {
        forget();
        journal.enqueue(this.parts.authority, { type: 'abandon', claimId }, this.stamp());
      });
      return { type: 'claim_failed', code: 'LEDGER_INCONSISTENT' };
    }
  }

  /**
   * Inside the transaction that closes `tx`: reports the outcome and hands back what returns to
   * the desk (e-KTP on hand or retained, letter held or kept). No-op for a local ticket.
   */
  closed(tx: TxInfo, outcome: 'berhasil' | 'gagal' | 'tertunda' | 'batal', reason: string | null): void {
    const mapped: CloseOutcome =
      outcome !== 'batal' ? outcome : reason === 'no_show' ? 'no_show' : reason === 'interrupted' ? 'interrupted' : 'cancelled';
    this.closeTicket(tx.ticketId, mapped);
  }

  /** Sends the journal now (after the commit of a close). */
  flush(): void {
    this.pump.flush();
  }

  private closeTicket(ticketId: number, outcome: CloseOutcome): void {
    const { db, ledger, journal } = this.parts;
    const claimId = ledger.ticketClaimId(ticketId);
    if (claimId === null) return;
    const t = ledger.ticket(ticketId);
    const resident = ledger.residentById(t.residentId);
    const at = this.stamp();
    const returns: ReturnedItem[] = [];
    const ektp = ledger.itemState('ektp', resident.cardUid);
    if (ektp === 'on_hand' || ektp === 'retained') returns.push({ kind: 'ektp', state: ektp });
    const letter = ledger.itemState('letter', resident.letterNo);
    if (letter === 'held' || letter === 'kept') returns.push({ kind: 'letter', state: letter });
    for (const r of returns) {
      const ref = r.kind === 'ektp' ? resident.cardUid : resident.letterNo;
      ledger.move(r.kind, ref, 'sent', null, 'back_to_intake');
      db.prepare("INSERT OR REPLACE INTO office_moves (move_id, kind, ref, from_device, to_device, to_state, direction, sent_at) VALUES (?, ?, ?, ?, ?, ?, 'out', ?)")
        .run(`${claimId}:${r.kind}:back`, r.kind, ref, this.parts.device, this.parts.authority, r.state, at);
    }
    // The desk's ticket is the one that waits again; this copy is done.
    if (outcome === 'interrupted') ledger.setTicketState(ticketId, 'cancelled');
    // The back moves travel in this message; the desk records them as 'in' when it applies it.
    journal.enqueue(this.parts.authority, { type: 'close', claimId, outcome, returns }, at);
  }

  private stamp(): string {
    return this.parts.now().toISOString();
  }
}
