import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import mqtt from 'mqtt';
import type { Config, OfficeConfig } from '../config/types.ts';
import { applyMigrations } from '../ledger/migrate.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { brokerAuthOptions } from '../status/client.ts';
import { OfficeError } from './errors.ts';
import { refusalOf } from './link.ts';
import { OfficeTopics, type PresencePayload } from './protocol.ts';
import { OFFICE_MIGRATIONS } from './schema.ts';

/** A ticket leased to a counter that has not reported how it closed. */
export interface Lease {
  readonly claimId: string;
  readonly counter: string;
  readonly day: string;
  readonly number: string;
  /** When the desk leased it (ISO 8601). */
  readonly since: string;
}

/** Every open lease of the desk's queue, oldest first. */
export function openLeases(db: Database): Lease[] {
  applyMigrations(db, 'office', OFFICE_MIGRATIONS);
  return leasesOf(db);
}

/**
 * The same, from a ledger opened read-only (`report daily`): no migration, and none on a box that
 * never kept an office queue.
 */
export function openLeasesReadOnly(db: Database): Lease[] {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'office_claims'").get();
  return table ? leasesOf(db) : [];
}

function leasesOf(db: Database): Lease[] {
  return (
    db
      .prepare(
        `SELECT c.claim_id, c.counter, k.day, k.number, COALESCE(c.leased_at, c.at) AS since
         FROM office_claims c JOIN tickets k ON k.id = c.ticket_id WHERE c.state = 'leased' ORDER BY since, k.id`,
      )
      .all() as { claim_id: string; counter: string; day: string; number: string; since: string }[]
  ).map((r) => ({ claimId: r.claim_id, counter: r.counter, day: r.day, number: r.number, since: r.since }));
}

/** What the office broker says about each box's link (retained presence), or why it could not be asked. */
export type PresenceView = { readonly reachable: true; readonly boxes: ReadonlyMap<string, PresencePayload> } | { readonly reachable: false; readonly why: string };

/**
 * Reads the retained presence of every box from the office broker, with this box's office
 * credentials and its own client id (the running agent's id would push the agent off the broker).
 */
export async function readPresence(config: Config & { readonly office: OfficeConfig }, timeoutMs = 3000): Promise<PresenceView> {
  const topics = new OfficeTopics(config.office.baseTopic, config.site.id);
  const auth = brokerAuthOptions(config.office, (what, file, err) => new Error(`cannot read office TLS ${what} file ${file}: ${(err as Error).message}`));
  const client = mqtt.connect(config.office.url, {
    clientId: `ektp-office-${config.site.id}-${config.counter.id}-tool-${randomUUID().slice(0, 8)}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    ...auth,
  });
  const boxes = new Map<string, PresencePayload>();
  client.on('message', (topic, payload) => {
    try {
      boxes.set(topic.slice(topic.lastIndexOf('/') + 1), JSON.parse(payload.toString('utf8')) as PresencePayload);
    } catch {
      // Not ours to judge: a box with an unreadable presence shows as unknown.
    }
  });
  try {
    return await new Promise<PresenceView>((resolve) => {
      const timer = setTimeout(() => resolve({ reachable: false, why: `no answer from ${config.office.url} within ${timeoutMs} ms` }), timeoutMs);
      client.on('error', (err: Error & { code?: unknown }) => {
        clearTimeout(timer);
        resolve({ reachable: false, why: `${refusalOf(err) ?? 'OFFICE_LINK'}: ${err.message}` });
      });
      client.on('connect', () => {
        client.subscribe(topics.presenceAll, { qos: 1 }, (err) => {
          if (err) {
            clearTimeout(timer);
            resolve({ reachable: false, why: err.message });
            return;
          }
          // Retained messages follow the SUBACK at once; a short wait collects all of them.
          setTimeout(() => {
            clearTimeout(timer);
            resolve({ reachable: true, boxes });
          }, 500);
        });
      });
    });
  } finally {
    client.end(true);
  }
}

/**
 * Releases a lease whose counter will not come back (hardware fault), once the support officer
 * has fetched the e-KTP and the letter from it: the ticket goes back to the head of the queue,
 * the e-KTP back on hand in the card store and the letter held at the desk, the claim marked
 * released, in one SQLite transaction (BEGIN IMMEDIATE: the running desk writes the same file)
 * with its audit row. The return is recorded under the move ids the counter would send its own
 * return with, so if that counter ever comes back and reports the close, the desk has already
 * received those items and records the close as a conflict instead of applying it (authority.ts).
 * Never called on a timeout: a counter that lost the network may be serving offline.
 */
export function releaseLease(
  parts: { db: Database; ledger: Ledger; device: string; now: () => Date },
  ticket: { day: string; number: string },
  by: string,
): Lease {
  const { db, ledger } = parts;
  applyMigrations(db, 'office', OFFICE_MIGRATIONS);
  return db
    .transaction((): Lease => {
      const t = db.prepare('SELECT id FROM tickets WHERE day = ? AND number = ?').get(ticket.day, ticket.number) as { id: number } | undefined;
      if (!t) throw new OfficeError('OFFICE_TICKET_UNKNOWN', `tidak ada nomor antrean ${ticket.number} pada ${ticket.day}`, { detail: ticket });
      const lease = openLeases(db).find((l) => l.day === ticket.day && l.number === ticket.number);
      if (!lease) {
        const state = ledger.ticket(t.id).state;
        throw new OfficeError('OFFICE_NOT_LEASED', `nomor antrean ${ticket.number} tidak sedang dipinjam loket mana pun (keadaan: ${state})`, { detail: { ...ticket, state } });
      }
      const at = parts.now().toISOString();
      const tk = ledger.ticket(t.id);
      const resident = ledger.residentById(tk.residentId);
      ledger.setTicketState(t.id, 'waiting');
      const reason = `released_from_${lease.counter}`;
      for (const [kind, ref, state] of [['ektp', resident.cardUid, 'on_hand'], ['letter', resident.letterNo, 'held']] as const) {
        ledger.move(kind, ref, state, null, reason);
        db.prepare(
          "INSERT OR IGNORE INTO office_moves (move_id, kind, ref, from_device, to_device, to_state, direction, sent_at, acked_at) VALUES (?, ?, ?, ?, ?, ?, 'in', ?, ?)",
        ).run(`${lease.claimId}:${kind}:back`, kind, ref, lease.counter, parts.device, state, at, at);
      }
      db.prepare("UPDATE office_claims SET state = 'released', at = ? WHERE claim_id = ?").run(at, lease.claimId);
      ledger.audit('office_lease_released', null, { ticket: t.id, number: ticket.number, day: ticket.day, counter: lease.counter, claim: lease.claimId, confirmedRetrieved: true, by });
      return lease;
    })
    .immediate();
}
