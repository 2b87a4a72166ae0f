/**
 * Office tables (module "office"), in each box's own ledger file so every office step commits
 * with the custody moves and the ticket it concerns.
 * - office_claims (authority): every claim id seen, what it was granted, and how it ended.
 * - office_journal: messages to another box, kept until that box acknowledges (bootId, seq).
 * - office_seq: the per-boot sequence of the journal.
 * - office_inbox: (from, bootId, seq) already applied, so a re-sent message is acked, not re-applied.
 * - office_moves: custody moves across boxes (both ends), with when they were acknowledged.
 * - office_pending_claims (counter): a claim sent but not yet committed or abandoned.
 * - office_conflicts (authority, step 2): a close a counter reported for a claim the desk had
 *   released (`ektp-agent office release`): recorded and acknowledged, never applied.
 * - step 3: a supervisor's settlement of such a conflict (`ektp-agent office settle`, settle.ts):
 *   who settled it, when, which record is true, and the note of what physically happened.
 */
export const OFFICE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE office_claims (
    claim_id TEXT PRIMARY KEY,
    counter TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    state TEXT NOT NULL CHECK (state IN ('leased', 'closed', 'abandoned')),
    outcome TEXT,
    at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX office_claims_one_lease ON office_claims(ticket_id) WHERE state = 'leased';
  CREATE TABLE office_journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    boot_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    to_device TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (boot_id, seq)
  );
  CREATE TABLE office_seq (boot_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
  CREATE TABLE office_inbox (
    from_device TEXT NOT NULL,
    boot_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (from_device, boot_id, seq)
  );
  CREATE TABLE office_moves (
    move_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    from_device TEXT NOT NULL,
    to_device TEXT NOT NULL,
    to_state TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    sent_at TEXT NOT NULL,
    acked_at TEXT
  );
  CREATE TABLE office_pending_claims (claim_id TEXT PRIMARY KEY, at TEXT NOT NULL);
  `,
  // Step 2: a lease the support officer released (the counter died with the ticket leased, the
  // officer fetched the e-KTP and the letter), and what a released counter reported afterwards.
  `
  CREATE TABLE office_claims_v2 (
    claim_id TEXT PRIMARY KEY,
    counter TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    state TEXT NOT NULL CHECK (state IN ('leased', 'closed', 'abandoned', 'released')),
    outcome TEXT,
    at TEXT NOT NULL,
    leased_at TEXT
  );
  INSERT INTO office_claims_v2 (claim_id, counter, ticket_id, state, outcome, at, leased_at)
    SELECT claim_id, counter, ticket_id, state, outcome, at, CASE WHEN state = 'leased' THEN at END FROM office_claims;
  DROP TABLE office_claims;
  ALTER TABLE office_claims_v2 RENAME TO office_claims;
  CREATE UNIQUE INDEX office_claims_one_lease ON office_claims(ticket_id) WHERE state = 'leased';
  CREATE TABLE office_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id TEXT NOT NULL,
    counter TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    reported TEXT NOT NULL,
    returns TEXT NOT NULL,
    ticket_state TEXT NOT NULL,
    at TEXT NOT NULL
  );
  `,
  // Step 3: settled once, never edited (the trigger), so the report's "settled" cannot be unsaid.
  `
  ALTER TABLE office_conflicts ADD COLUMN settled_at TEXT;
  ALTER TABLE office_conflicts ADD COLUMN settled_by TEXT;
  ALTER TABLE office_conflicts ADD COLUMN resolution TEXT CHECK (resolution IN ('desk', 'counter'));
  ALTER TABLE office_conflicts ADD COLUMN note TEXT;
  CREATE TRIGGER office_conflicts_settled_once BEFORE UPDATE ON office_conflicts WHEN OLD.settled_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a settled office conflict cannot be changed'); END;
  CREATE TRIGGER office_conflicts_no_delete BEFORE DELETE ON office_conflicts
    BEGIN SELECT RAISE(ABORT, 'office conflicts are kept'); END;
  `,
];
