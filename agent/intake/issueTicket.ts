import type { Ledger } from '../ledger/ledger.ts';
import type { Ticket } from '../ledger/types.ts';
import type { PrintJobs } from '../transaction/runner.ts';
import type { SlipBuilder } from '../transaction/slipBuilder.ts';

export type OldKtpAtIntake = 'held' | { readonly lossReport: string };

/**
 * Records the intake (old KTP or its loss report, letter, queue ticket) and queues the ticket's
 * print job in one SQLite transaction, so a power cut cannot leave a queued resident without a
 * printed number or a printed number nobody is queued under. Call `prints.pump()` after.
 * `clock.synced === false`: numbering goes on from the last ticket (ledger.ts nextQueueSeq).
 */
export function issueTicket(
  parts: { ledger: Ledger; prints: PrintJobs; slips: SlipBuilder },
  letterNo: string,
  prefix: string,
  oldKtp: OldKtpAtIntake = 'held',
  clock: { synced: boolean | null } = { synced: true },
): Ticket {
  const { ledger, prints, slips } = parts;
  return ledger.atomically(() => {
    const { ticket } = ledger.intake(letterNo, prefix, oldKtp, clock);
    const ahead = ledger.waitingCount() - 1;
    prints.enqueue(slips.queueTicket(ticket.number, ticket.issuedAt, ahead), { txId: null });
    return ticket;
  });
}
