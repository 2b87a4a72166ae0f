import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { officeReport } from '../office/report.ts';

const USAGE = 'usage: ektp-agent report office --box DEVICE=LEDGER.sqlite [--box …] --authority DEVICE [--json]';

/**
 * `ektp-agent report office`: joins the ledgers of the intake desk and every counter (copied off
 * the boxes at the end of the day, or read over the office network share) and shows every item's
 * holder, any move a box sent that the receiving box has not recorded, and the ticket checks.
 * Opens every file read-only. Exit 0 when the office balances, 1 when not, 2 on bad usage.
 */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { box: { type: 'string', multiple: true }, authority: { type: 'string' }, json: { type: 'boolean' } },
  });
  const boxes = (values.box ?? []).map((b) => {
    const at = b.indexOf('=');
    return at > 0 ? { device: b.slice(0, at), file: b.slice(at + 1) } : null;
  });
  if (boxes.length === 0 || boxes.some((b) => b === null) || !values.authority) {
    console.error(USAGE);
    return 2;
  }
  const opened = boxes.map((b) => ({ device: b!.device, db: new Database(b!.file, { readonly: true, fileMustExist: true }) }));
  try {
    const r = officeReport(opened, values.authority);
    if (values.json) {
      console.log(JSON.stringify(r, null, 2));
    } else {
      console.log(`office of ${r.boxes.join(', ')}: ${r.items} items; holders ${Object.entries(r.holders).map(([k, n]) => `${k} ${n}`).join(', ')}`);
      console.log(`tickets: ${Object.entries(r.tickets.byState).map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const m of r.unacknowledged) console.log(`NOT ACKNOWLEDGED: ${m.kind} ${m.from} -> ${m.to} (${m.toState}) sent ${m.sentAt}`);
      for (const h of r.withoutHolder) console.log(`NO HOLDER: ${h.kind}`);
      for (const h of r.withTwoHolders) console.log(`TWO HOLDERS: ${h.kind} held by ${h.holders.join(' and ')}`);
      for (const n of r.tickets.servedTwice) console.log(`SERVED TWICE: ticket ${n}`);
      for (const n of r.tickets.leasedButNotOpen) console.log(`LEASED, NOT OPEN AT ANY COUNTER: ticket ${n}`);
      if (r.released.leases > 0) console.log(`leases released by the support officer: ${r.released.leases}`);
      for (const h of r.released.stillOnCounterLedger) console.log(`RELEASED: ${h.kind} still on ${h.counter}'s ledger; taken back to the desk by the support officer`);
      for (const c of r.released.conflicts) {
        const kind = c.settled ? 'SETTLED CONFLICT' : c.needsSupervisor ? 'CONFLICT (KONFLIK, periksa supervisor)' : 'LATE CLOSE';
        const what = c.settled
          ? `${c.settled.truth === 'counter' ? "the counter's report applied" : 'the release stands'} (settled by ${c.settled.by} at ${c.settled.at}: ${c.settled.note})`
          : c.needsSupervisor
            ? `not applied; settle on the desk: ektp-agent office settle --conflict ${c.id} --true desk|counter --note "..."`
            : 'not applied';
        console.log(`${kind} #${c.id}: ${c.counter} reported ${c.reported} for ticket ${c.ticket} at ${c.at}, after the desk released it (ticket ${c.ticketStateAtDesk} at the desk); ${what}`);
      }
      if (r.oldKtpsAwaitingReturn.length > 0) {
        console.log(`old KTPs at the desk awaiting return to the resident (KTP LAMA BELUM DIAMBIL): ${r.oldKtpsAwaitingReturn.length}`);
        for (const o of r.oldKtpsAwaitingReturn) console.log(`AWAITING RETURN: old KTP of ticket ${o.ticket} since ${o.since}`);
      }
      console.log(r.ok ? 'the office balances' : 'the office DOES NOT balance');
    }
    return r.ok ? 0 : 1;
  } finally {
    for (const o of opened) o.db.close();
  }
}
