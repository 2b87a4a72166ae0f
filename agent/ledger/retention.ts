import { LedgerError } from './errors.ts';
import { ledgerDatabase, type Ledger } from './ledger.ts';

/** A purge with the clock this far past the ledger's newest entry asks for a clock check first. */
export const MAX_IDLE_DAYS = 30;

/** States in which an item has left the counter's hands for good. */
const FINAL = new Set(['issued', 'sent_for_destruction', 'returned', 'destroyed', 'kept']);

/**
 * UU 27/2022 Pasal 42-44: personal data is removed when its purpose is met and the retention
 * period has passed. A resident's NIK, name and validation biodata are erased once every item of
 * theirs is settled and their last transaction closed more than `days` ago. Counts, custody
 * events, tickets and the audit chain stay (they hold no personal data), so reconciliation and
 * verify-ledger still hold after a purge.
 */
export function purgePersonalData(
  ledger: Ledger,
  days: number,
  opts: { dryRun?: boolean; clockSynced?: boolean | null; clockChecked?: boolean } = {},
): { residents: number } {
  const db = ledgerDatabase(ledger);
  checkClockForPurge(ledger, opts);
  const cutoff = new Date(ledger.now().getTime() - days * 86_400_000).toISOString();
  const candidates = db
    .prepare(
      `SELECT r.id FROM residents r
       WHERE r.purged_at IS NULL
         AND EXISTS (SELECT 1 FROM transactions x WHERE x.resident_id = r.id AND x.closed_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM transactions x WHERE x.resident_id = r.id AND (x.closed_at IS NULL OR x.closed_at > ?))
         AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.resident_id = r.id AND k.state IN ('waiting', 'called'))`,
    )
    .all(cutoff) as { id: number }[];
  const settled = candidates.filter(({ id }) => {
    const states = db.prepare('SELECT kind, state FROM items WHERE resident_id = ?').all(id) as { kind: string; state: string }[];
    // An old KTP still kept, lent or handed over is still the Dinas's to account for by name.
    return states.every((s) => FINAL.has(s.state) && !(s.kind === 'old_ktp' && s.state === 'kept'));
  });
  if (opts.dryRun || settled.length === 0) return { residents: settled.length };
  ledger.atomically(() => {
    const at = ledger.now().toISOString();
    const erase = db.prepare('UPDATE residents SET nik = NULL, name = NULL, validation_json = NULL, purged_at = ? WHERE id = ?');
    for (const { id } of settled) erase.run(at, id);
    ledger.audit('personal_data_purged', null, { residents: settled.map((s) => s.id), retentionDays: days });
  });
  return { residents: settled.length };
}

/**
 * Erasing is for good, and "past retention" is read off the wall clock: a clock 400 days ahead
 * would erase residents still within it. So a purge needs an NTP-synced clock that is not behind
 * the ledger's newest entry, and (unless `clockChecked`, after a person looked at a calendar) not
 * more than MAX_IDLE_DAYS after it either.
 */
function checkClockForPurge(ledger: Ledger, opts: { clockSynced?: boolean | null; clockChecked?: boolean }): void {
  if (opts.clockSynced === false) throw new LedgerError('CLOCK_NOT_SYNCED', 'the clock is not NTP-synced; personal data is not erased on an unsynced clock');
  const newest = (ledgerDatabase(ledger).prepare('SELECT MAX(at) AS at FROM audit').get() as { at: string | null }).at;
  if (!newest) return;
  const now = ledger.now().getTime();
  const last = Date.parse(newest);
  if (now < last) throw new LedgerError('CLOCK_IMPLAUSIBLE', `the clock (${new Date(now).toISOString()}) is behind the ledger's newest entry (${newest}); check the clock`);
  const idleDays = (now - last) / 86_400_000;
  if (idleDays > MAX_IDLE_DAYS && !opts.clockChecked) {
    throw new LedgerError(
      'CLOCK_IMPLAUSIBLE',
      `the clock is ${Math.floor(idleDays)} days past the ledger's newest entry (${newest}); check the date, then purge with --clock-checked`,
    );
  }
}
