import { parseFleetTopic } from '../status/topics.ts';
import type { CounterStatus, EventPayload, HealthPayload, InfoPayload, MetricsPayload } from '../status/types.ts';

/**
 * What the fleet monitor knows about every counter, built only from what counters publish. Pure:
 * `apply()` takes a topic, raw payload and time; nothing here touches the network, so the table
 * logic and the alert rules are tested without a broker.
 */

export interface EventStats {
  /** Distinct (bootId, seq) events seen. */
  readonly unique: number;
  readonly duplicates: number;
  /** Sequence numbers skipped and not (yet) filled in: lost or still in a counter's outbox. */
  readonly gaps: number;
}

export interface CounterView {
  readonly site: string;
  readonly device: string;
  readonly state: CounterStatus | 'unknown';
  readonly bootId: string | null;
  readonly statusAlerts: readonly string[];
  /** Last time anything arrived from this counter (ms since epoch). */
  readonly lastSeen: number;
  readonly health: HealthPayload | null;
  readonly metrics: MetricsPayload | null;
  readonly info: InfoPayload | null;
  readonly events: EventStats;
  readonly lastEvent: Pick<EventPayload, 'type' | 'result' | 'at'> | null;
}

export type AlertCode = 'lost' | 'paper_out' | 'stale' | 'outbox_backlog' | 'event_gap' | 'hardware';

export interface FleetAlert {
  readonly site: string;
  readonly device: string;
  readonly code: AlertCode;
  readonly message: string;
}

export interface FleetOptions {
  readonly base: string;
  /** A counter not heard from for this long is stale (default 3 health intervals: 180 s). */
  readonly staleAfterMs?: number;
  /** Outbox depth that raises an alert (default 100 events). */
  readonly backlogAlert?: number;
}

interface BootSeq {
  maxSeq: number;
  missing: Set<number>;
}

/** Gap bookkeeping is bounded: a counter that skips more than this is simply "many lost". */
const MAX_MISSING_TRACKED = 10_000;
const BOOTS_TRACKED = 4;

class CounterRecord {
  state: CounterStatus | 'unknown' = 'unknown';
  bootId: string | null = null;
  statusAlerts: readonly string[] = [];
  lastSeen = 0;
  health: HealthPayload | null = null;
  metrics: MetricsPayload | null = null;
  info: InfoPayload | null = null;
  unique = 0;
  duplicates = 0;
  gaps = 0;
  lastEvent: CounterView['lastEvent'] = null;
  boots = new Map<string, BootSeq>();

  constructor(
    readonly site: string,
    readonly device: string,
  ) {}

  event(e: EventPayload): void {
    let boot = this.boots.get(e.bootId);
    if (!boot) {
      // First sight of a boot: start counting from here, since the monitor may have started late.
      boot = { maxSeq: e.seq - 1, missing: new Set() };
      this.boots.set(e.bootId, boot);
      if (this.boots.size > BOOTS_TRACKED) this.boots.delete(this.boots.keys().next().value!);
    }
    if (e.seq > boot.maxSeq) {
      const skipped = e.seq - boot.maxSeq - 1;
      this.gaps += skipped;
      for (let s = boot.maxSeq + 1; s < e.seq && boot.missing.size < MAX_MISSING_TRACKED; s++) boot.missing.add(s);
      boot.maxSeq = e.seq;
      this.unique++;
      this.lastEvent = { type: e.type, result: e.result, at: e.at };
    } else if (boot.missing.delete(e.seq)) {
      this.gaps--;
      this.unique++;
    } else {
      this.duplicates++;
    }
  }

  view(): CounterView {
    return {
      site: this.site,
      device: this.device,
      state: this.state,
      bootId: this.bootId,
      statusAlerts: this.statusAlerts,
      lastSeen: this.lastSeen,
      health: this.health,
      metrics: this.metrics,
      info: this.info,
      events: { unique: this.unique, duplicates: this.duplicates, gaps: this.gaps },
      lastEvent: this.lastEvent,
    };
  }
}

function parseJson(payload: Buffer): unknown {
  if (payload.length === 0) return null;
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATES = new Set(['init', 'ready', 'alert', 'offline', 'lost']);

export class FleetState {
  private readonly counters = new Map<string, CounterRecord>();
  private readonly staleAfterMs: number;
  private readonly backlogAlert: number;
  /** Messages that were on our topics but not valid JSON of the right shape (never fatal). */
  malformed = 0;
  messages = 0;

  constructor(private readonly opts: FleetOptions) {
    this.staleAfterMs = opts.staleAfterMs ?? 180_000;
    this.backlogAlert = opts.backlogAlert ?? 100;
  }

  /** Feeds one MQTT message; returns false if it was not ours or not understood. */
  apply(topic: string, payload: Buffer, now: number): boolean {
    const t = parseFleetTopic(this.opts.base, topic);
    if (!t || t.name === 'now_serving') return false;
    this.messages++;
    const body = parseJson(payload);
    if (body === null) return false; // a cleared retained topic
    if (!isObject(body)) {
      this.malformed++;
      return false;
    }
    const key = `${t.site}/${t.device}`;
    let c = this.counters.get(key);
    if (!c) {
      c = new CounterRecord(t.site, t.device);
      this.counters.set(key, c);
    }
    switch (t.name) {
      case 'status':
        if (typeof body.state !== 'string' || !STATES.has(body.state)) {
          this.malformed++;
          return false;
        }
        c.state = body.state as CounterStatus;
        c.bootId = typeof body.bootId === 'string' ? body.bootId : null;
        c.statusAlerts = Array.isArray(body.alerts) ? body.alerts.filter((a): a is string => typeof a === 'string') : [];
        // A will or retained status says nothing about "now"; its own timestamp does.
        if (body.state !== 'lost') c.lastSeen = Math.max(c.lastSeen, Date.parse(String(body.ts)) || now);
        break;
      case 'health':
        if (!isObject(body.printer) || !isObject(body.outbox)) {
          this.malformed++;
          return false;
        }
        c.health = body as unknown as HealthPayload;
        c.lastSeen = Math.max(c.lastSeen, Date.parse(String(body.ts)) || now);
        break;
      case 'metrics':
        c.metrics = body as unknown as MetricsPayload;
        break;
      case 'info':
        c.info = body as unknown as InfoPayload;
        break;
      case 'event':
        if (typeof body.bootId !== 'string' || !Number.isInteger(body.seq)) {
          this.malformed++;
          return false;
        }
        c.event(body as unknown as EventPayload);
        c.lastSeen = Math.max(c.lastSeen, now);
        break;
    }
    return true;
  }

  views(): CounterView[] {
    return [...this.counters.values()]
      .map((c) => c.view())
      .sort((a, b) => a.site.localeCompare(b.site) || a.device.localeCompare(b.device));
  }

  totals(): EventStats & { counters: number } {
    let unique = 0;
    let duplicates = 0;
    let gaps = 0;
    for (const c of this.counters.values()) {
      unique += c.unique;
      duplicates += c.duplicates;
      gaps += c.gaps;
    }
    return { counters: this.counters.size, unique, duplicates, gaps };
  }

  alerts(now: number): FleetAlert[] {
    const out: FleetAlert[] = [];
    for (const c of this.views()) {
      const add = (code: AlertCode, message: string) => out.push({ site: c.site, device: c.device, code, message });
      if (c.state === 'lost') {
        add('lost', 'connection lost without a clean shutdown (power, network or crash)');
      } else if (c.state !== 'offline' && c.lastSeen > 0 && now - c.lastSeen > this.staleAfterMs) {
        add('stale', `no status or health for ${Math.round((now - c.lastSeen) / 1000)} s`);
      }
      if (c.state === 'offline' || c.state === 'lost') continue;
      if (c.health?.printer?.paper === 'out') add('paper_out', 'printer out of paper');
      const hw = c.statusAlerts.filter((a) => a !== 'paper_out');
      if (hw.length > 0) add('hardware', hw.join(', '));
      const depth = c.health?.outbox?.depth ?? 0;
      if (depth >= this.backlogAlert) add('outbox_backlog', `${depth} events waiting in the outbox`);
      if (c.events.gaps > 0) add('event_gap', `${c.events.gaps} event(s) missing in the sequence`);
    }
    return out;
  }
}
