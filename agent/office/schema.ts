/**
 * Office tables (module "office"), in each box's own ledger file so every office step commits
 * with the custody moves and the ticket it concerns.
 * - office_claims (authority): every claim id seen, what it was granted, and how it ended.
 * - office_journal: messages to another box, kept until that box acknowledges (bootId, seq).
 * - office_seq: the per-boot sequence of the journal.
 * - office_inbox: (from, bootId, seq) already applied, so a re-sent message is acked, not re-applied.
 * - office_moves: custody moves across boxes (both ends), with when they were acknowledged.
 * - office_pending_claims (counter): a claim sent but not yet committed or abandoned.
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
];
