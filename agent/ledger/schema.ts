/**
 * The (kind, state) pairs step 5 lets into items, written out as released: a later state is a new
 * step that replaces these triggers, never an edit of this text.
 */
export const ITEM_STATE_SQL = `
  (NEW.kind = 'ektp' AND NEW.state IN ('on_hand', 'with_operator', 'with_support', 'issued', 'retained', 'sent_for_destruction', 'not_delivered', 'sent'))
  OR (NEW.kind = 'old_ktp' AND NEW.state IN ('held', 'awaiting_return', 'returned', 'kept', 'lent', 'handed_over', 'destroyed'))
  OR (NEW.kind = 'letter' AND NEW.state IN ('held', 'with_operator', 'with_support', 'returned', 'kept', 'sent'))
  OR (NEW.kind = 'queue_ticket' AND NEW.state IN ('with_resident', 'with_operator', 'with_support', 'kept'))
  OR (NEW.kind = 'receipt' AND NEW.state IN ('kept'))`;

/**
 * The custody ledger's schema steps (module "ledger"; see migrate.ts). Personal data stored here is
 * limited to what the Dinas must account for: NIK, name, letter number, card UID and the biodata
 * of the validation document. No photo, signature, template or image is ever stored.
 * custody_events and audit are append-only: triggers refuse UPDATE and DELETE.
 */
export const LEDGER_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE roster_imports (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL UNIQUE,
    site_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    entries INTEGER NOT NULL,
    delivered_at TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );
  CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES roster_imports(id),
    nik TEXT UNIQUE,
    name TEXT,
    letter_no TEXT NOT NULL UNIQUE,
    card_uid TEXT NOT NULL UNIQUE,
    validation_json TEXT,
    purged_at TEXT
  );
  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ektp', 'old_ktp', 'letter', 'queue_ticket', 'receipt')),
    resident_id INTEGER REFERENCES residents(id),
    ref TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, ref)
  );
  CREATE INDEX items_by_resident ON items(resident_id, kind);
  CREATE TABLE custody_events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    tx_id TEXT,
    reason TEXT,
    at TEXT NOT NULL
  );
  CREATE TRIGGER custody_events_append_only_u BEFORE UPDATE ON custody_events
    BEGIN SELECT RAISE(ABORT, 'custody_events is append-only'); END;
  CREATE TRIGGER custody_events_append_only_d BEFORE DELETE ON custody_events
    BEGIN SELECT RAISE(ABORT, 'custody_events is append-only'); END;
  CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    day TEXT NOT NULL,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    state TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'served', 'no_show', 'cancelled')),
    calls INTEGER NOT NULL DEFAULT 0,
    issued_at TEXT NOT NULL,
    called_at TEXT,
    UNIQUE (day, number)
  );
  CREATE TABLE transactions (
    id TEXT PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    state TEXT NOT NULL,
    state_json TEXT NOT NULL,
    outcome TEXT,
    reason TEXT,
    referral INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    finger TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
  );
  CREATE INDEX transactions_open ON transactions(closed_at);
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    tx_id TEXT,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  `,
  // The intake desk records a lost old KTP by the police loss-report number instead of holding it.
  `ALTER TABLE tickets ADD COLUMN old_ktp_loss_report TEXT;`,
  // The chain seal (audit.ts): which device key keys the audit chain. Written once by init.
  `
  CREATE TABLE ledger_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TRIGGER ledger_meta_append_only_u BEFORE UPDATE ON ledger_meta
    BEGIN SELECT RAISE(ABORT, 'ledger_meta is write-once'); END;
  CREATE TRIGGER ledger_meta_append_only_d BEFORE DELETE ON ledger_meta
    BEGIN SELECT RAISE(ABORT, 'ledger_meta is write-once'); END;
  `,
  // Queue numbers from a synced clock (ledger.ts intake): the running number of each ticket, and
  // whether the clock was synced when it was issued. Existing tickets count as synced.
  `
  ALTER TABLE tickets ADD COLUMN seq INTEGER;
  ALTER TABLE tickets ADD COLUMN clock_synced INTEGER NOT NULL DEFAULT 1;
  UPDATE tickets SET seq = CAST(substr(number, instr(number, '-') + 1) AS INTEGER);
  `,
  // Step 5: the old KTP "awaiting_return" at the intake desk (types.ts ITEM_STATES), and from now on
  // every item state checked on write. SQLite cannot add a CHECK to an existing table without
  // rebuilding it (custody_events and batch_items reference items), so the check is a pair of
  // triggers; rows already there were written by the agent and are left as they are. The step also
  // bumps the ledger's version, so an older agent refuses this file instead of miscounting a state it
  // does not know. The lists equal ITEM_STATES (test/agent/ledger/itemStates.test.ts keeps them so).
  `
  CREATE TRIGGER items_state_known_i BEFORE INSERT ON items WHEN NOT (${ITEM_STATE_SQL})
    BEGIN SELECT RAISE(ABORT, 'unknown custody state for this kind of item'); END;
  CREATE TRIGGER items_state_known_u BEFORE UPDATE OF state ON items WHEN NOT (${ITEM_STATE_SQL})
    BEGIN SELECT RAISE(ABORT, 'unknown custody state for this kind of item'); END;
  `,
];

/** The batches (berita acara) of agent/ledger/batches.ts; tracked apart as component 'batches'. */
export const BATCH_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    pihak_pertama TEXT NOT NULL,
    pihak_kedua TEXT NOT NULL,
    signed_at TEXT,
    digest TEXT
  );
  CREATE TABLE batch_items (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (batch_id, item_id)
  );
  CREATE TRIGGER batches_signed_frozen BEFORE UPDATE ON batches WHEN OLD.signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a signed batch cannot be changed'); END;
  CREATE TRIGGER batches_signed_no_delete BEFORE DELETE ON batches WHEN OLD.signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a signed batch cannot be changed'); END;
  CREATE TRIGGER batch_items_signed_insert BEFORE INSERT ON batch_items
    WHEN (SELECT signed_at FROM batches WHERE id = NEW.batch_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a signed batch cannot be changed'); END;
  CREATE TRIGGER batch_items_signed_update BEFORE UPDATE ON batch_items
    WHEN (SELECT signed_at FROM batches WHERE id = OLD.batch_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a signed batch cannot be changed'); END;
  CREATE TRIGGER batch_items_signed_delete BEFORE DELETE ON batch_items
    WHEN (SELECT signed_at FROM batches WHERE id = OLD.batch_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a signed batch cannot be changed'); END;
  CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    lent_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    returned_at TEXT
  );
  `,
  // A counter's copy of a ticket claimed from the office queue (agent/office/) carries the claim id.
  `ALTER TABLE tickets ADD COLUMN claim_id TEXT;`,
];

/**
 * End of the service day (module "day_close"; agent/ledger/dayClose.ts): one row per closed day
 * with the officer's card count, and the tickets it closed as not served. Append-only.
 */
export const DAY_CLOSE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE day_closes (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL UNIQUE,
    closed_at TEXT NOT NULL,
    operator TEXT NOT NULL,
    documents TEXT NOT NULL CHECK (documents IN ('returned', 'kept')),
    cards_expected INTEGER NOT NULL,
    cards_counted INTEGER NOT NULL CHECK (cards_counted >= 0)
  );
  CREATE TABLE day_close_tickets (
    day_close_id INTEGER NOT NULL REFERENCES day_closes(id),
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id)
  );
  CREATE TRIGGER day_closes_append_only_u BEFORE UPDATE ON day_closes
    BEGIN SELECT RAISE(ABORT, 'day_closes is append-only'); END;
  CREATE TRIGGER day_closes_append_only_d BEFORE DELETE ON day_closes
    BEGIN SELECT RAISE(ABORT, 'day_closes is append-only'); END;
  `,
];

/** Serah terima of card deliveries (module "card_delivery"; agent/ledger/cardDelivery.ts). Append-only. */
export const CARD_DELIVERY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE card_deliveries (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    batch_id TEXT NOT NULL UNIQUE REFERENCES roster_imports(batch_id),
    received_at TEXT NOT NULL,
    courier_json TEXT NOT NULL,
    receiver_json TEXT NOT NULL,
    roster_entries INTEGER NOT NULL,
    received INTEGER NOT NULL,
    missing_json TEXT NOT NULL,
    extra_json TEXT NOT NULL
  );
  CREATE TRIGGER card_deliveries_append_only_u BEFORE UPDATE ON card_deliveries
    BEGIN SELECT RAISE(ABORT, 'card_deliveries is append-only'); END;
  CREATE TRIGGER card_deliveries_append_only_d BEFORE DELETE ON card_deliveries
    BEGIN SELECT RAISE(ABORT, 'card_deliveries is append-only'); END;
  `,
];
