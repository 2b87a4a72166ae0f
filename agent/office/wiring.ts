import type { Database } from 'better-sqlite3';
import type { Logger } from '../../drivers/logger.ts';
import type { Config, OfficeConfig } from '../config/types.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { QueueAuthority } from './authority.ts';
import { OfficeJournal } from './journal.ts';
import { OfficeLink } from './link.ts';
import { OfficeQueueClient } from './queueClient.ts';

interface Parts {
  readonly config: Config & { readonly office: OfficeConfig };
  readonly db: Database;
  readonly ledger: Ledger;
  readonly bootId: string;
  readonly now: () => Date;
  readonly logger: Logger;
  /** The desk only: why no ticket may be leased now (its ledger stopped verifying), or null. */
  readonly refusal?: () => string | null;
}

/** The counter's side of the office queue (role "counter" with an `office` block). */
export function officeQueueClient(p: Parts): OfficeQueueClient {
  const { config } = p;
  const device = config.counter.id;
  return new OfficeQueueClient({
    db: p.db,
    ledger: p.ledger,
    journal: new OfficeJournal(p.db, device, p.bootId),
    link: new OfficeLink({ config: config.office, site: config.site.id, device, authority: false, bootId: p.bootId, logger: p.logger, now: p.now }),
    device,
    authority: config.office.authority,
    claimTimeoutMs: config.office.claimTimeoutMs,
    resendMs: config.office.resendMs,
    now: p.now,
    logger: p.logger,
  });
}

/** The intake desk's side: it keeps the office queue when it is the configured authority. */
export function queueAuthority(p: Parts): QueueAuthority {
  const { config } = p;
  const device = config.counter.id;
  return new QueueAuthority({
    db: p.db,
    ledger: p.ledger,
    journal: new OfficeJournal(p.db, device, p.bootId),
    link: new OfficeLink({ config: config.office, site: config.site.id, device, authority: true, bootId: p.bootId, logger: p.logger, now: p.now }),
    device,
    resendMs: config.office.resendMs,
    now: p.now,
    logger: p.logger,
    refusal: p.refusal,
  });
}
