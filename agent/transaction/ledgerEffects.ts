import { CounterError } from '../errors.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { ItemKind } from '../ledger/types.ts';
import type { Effect, TxInfo, TxState } from './states.ts';

/**
 * The part of a step's effects that is ledger bookkeeping: the transaction row, the ticket, the
 * custody moves, the verdict and the close. The runner calls it inside the step's SQLite
 * transaction (prints and outbox events are its own); property tests call it to replay steps on
 * a bare ledger. Returns false for effects that are not ledger bookkeeping.
 */
export function commitLedgerEffect(ledger: Ledger, e: Effect, tx: TxInfo, next: TxState): boolean {
  switch (e.kind) {
    case 'start_tx':
      ledger.createTransaction(e.tx.id, e.ticket, 'CALLED', JSON.stringify(next));
      return true;
    case 'ticket':
      ledger.setTicketState(tx.ticketId, e.state, e.countCall ?? false);
      return true;
    case 'custody': {
      const resident = ledger.residentById(tx.residentId);
      const ticket = ledger.ticket(tx.ticketId);
      const refs: Record<ItemKind, string> = {
        ektp: resident.cardUid,
        old_ktp: resident.letterNo,
        letter: resident.letterNo,
        queue_ticket: `${ticket.day}/${ticket.number}`,
        receipt: tx.id,
      };
      for (const m of e.moves) {
        const now = ledger.itemState(m.kind, refs[m.kind]);
        // The SOP's order of hands is checked on every move: an item somewhere the step did not
        // expect means the paper and the ledger disagree, and nothing of this step is written.
        if (now !== m.to && !(now === null ? m.from.length === 0 : m.from.includes(now))) {
          throw new CounterError('LEDGER_INCONSISTENT', `${m.kind} is ${now ?? 'missing'}, expected ${m.from.join('/') || 'new'} before ${m.reason}`);
        }
        ledger.move(m.kind, refs[m.kind], m.to as never, tx.id, m.reason, resident.id);
      }
      return true;
    }
    case 'verdict':
      ledger.recordVerdict(tx.id, e.outcome, e.reason);
      return true;
    case 'close':
      ledger.closeTransaction(tx.id, e.outcome, e.reason);
      return true;
    default:
      return false;
  }
}
