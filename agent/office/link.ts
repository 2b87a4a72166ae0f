import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../drivers/logger.ts';
import type { OfficeConfig } from '../config/types.ts';
import { CounterError } from '../errors.ts';
import { brokerAuthOptions, redactUrl } from '../status/client.ts';
import type { ClaimReply, ClaimRequest, InboxMessage, PresencePayload } from './protocol.ts';
import { OfficeTopics } from './protocol.ts';

/** Why the broker would not have this box: coded for the operator's LEDs (operatorMessages.ts). */
export type OfficeLinkRefusal = 'OFFICE_LINK_REFUSED' | 'OFFICE_LINK_TLS';

interface LinkEvents {
  up: [];
  down: [];
  /** A message on this box's inbox (journal, ack, claim reply). */
  inbox: [InboxMessage];
  /** Authority only: a claim request with where to answer. */
  claim: [ClaimRequest, { responseTopic: string; correlationData: Buffer }];
  /** The broker refused this box (credentials, ACL) or its certificate check failed; once per outage. */
  refused: [OfficeLinkRefusal];
}

/** CONNACK reason codes that mean "not you": MQTT 3.1.1 (4, 5) and MQTT 5 (134, 135, 138). */
const REFUSED_CODES = new Set([4, 5, 134, 135, 138]);

/** What went wrong with a connection attempt, if it is something a retry cannot fix. */
export function refusalOf(err: Error & { code?: unknown }): OfficeLinkRefusal | null {
  if (typeof err.code === 'number' && REFUSED_CODES.has(err.code)) return 'OFFICE_LINK_REFUSED';
  // Node's TLS errors: an unknown CA, a self-signed or expired certificate, a name mismatch.
  if (typeof err.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ERR_SSL|EPROTO/.test(err.code)) return 'OFFICE_LINK_TLS';
  return null;
}

/**
 * This box's connection to the office broker (MQTT 5). mqtt.js reconnects every second on its
 * own here: everything that must not be lost is in the office journal and re-sent until
 * acknowledged, and every message is idempotent, so a replayed in-flight publish is harmless.
 * It authenticates with the `office` block's username/password and TLS, as the status link does
 * with the `mqtt` block (agent/status/client.ts brokerAuthOptions). Its presence is retained on
 * `office/presence/{device}`: online at connect, offline at a clean stop, and `lost` by the
 * broker's last will when the box dies or drops off the network (`ektp-agent office leases`).
 */
export class OfficeLink extends EventEmitter<LinkEvents> {
  readonly topics: OfficeTopics;
  private client: MqttClient | null = null;
  private readonly waiting = new Map<string, (r: ClaimReply) => void>();
  private refusal: OfficeLinkRefusal | null = null;

  constructor(
    private readonly opts: { config: OfficeConfig; site: string; device: string; authority: boolean; bootId: string; logger: Logger; now?: () => Date },
  ) {
    super();
    this.topics = new OfficeTopics(opts.config.baseTopic, opts.site);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Why the broker refused this box at the last attempt, while it is not connected. */
  get refused(): OfficeLinkRefusal | null {
    return this.connected ? null : this.refusal;
  }

  private presence(state: PresencePayload['state']): string {
    const payload: PresencePayload = { state, bootId: this.opts.bootId, ts: (this.opts.now?.() ?? new Date()).toISOString() };
    return JSON.stringify(payload);
  }

  /** Reads the TLS files (an unreadable one throws OFFICE_TLS_FILE now) and starts connecting. */
  start(): void {
    const { config, device } = this.opts;
    const log = this.opts.logger;
    const auth = brokerAuthOptions(config, (what, file, err) => new CounterError('OFFICE_TLS_FILE', `cannot read office TLS ${what} file ${file}`, { cause: err, detail: { file } }));
    const client = mqtt.connect(config.url, {
      clientId: `ektp-office-${this.opts.site}-${device}`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 1000,
      // A refused box tries again: the broker's password file or ACL may be fixed meanwhile.
      reconnectOnConnackError: true,
      connectTimeout: 5000,
      keepalive: config.keepaliveS,
      ...auth,
      will: { topic: this.topics.presence(device), payload: Buffer.from(this.presence('lost')), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      if (this.refusal) log.info({ url: redactUrl(config.url) }, 'office broker accepts this box again');
      this.refusal = null;
      client.publish(this.topics.presence(device), this.presence('online'), { qos: 1, retain: true });
      const subs = [this.topics.inbox(device), ...(this.opts.authority ? [this.topics.claim] : [])];
      client.subscribe(subs, { qos: 1 }, (err, granted) => {
        if (err) return log.warn({ err: { message: err.message } }, 'office subscribe failed');
        // The broker's ACL may grant the connection and deny a subscription (SUBACK 0x87).
        const denied = (granted ?? []).filter((g) => g.qos >= 128).map((g) => g.topic);
        if (denied.length > 0) {
          this.refusal = 'OFFICE_LINK_REFUSED';
          log.error({ code: 'OFFICE_LINK_REFUSED', topics: denied }, 'office broker does not let this box subscribe (ACL); see docs/appliance.md');
          this.emit('refused', 'OFFICE_LINK_REFUSED');
          return;
        }
        this.emit('up');
      });
    });
    client.on('close', () => this.emit('down'));
    client.on('error', (err: Error & { code?: unknown }) => {
      const refusal = refusalOf(err);
      if (refusal && refusal !== this.refusal) {
        // Once per outage: a refused box retries every second and must not flood the log.
        log.error({ code: refusal, err: { message: err.message, code: err.code }, url: redactUrl(config.url) }, 'office broker refused this box; check office.username/password/tls and the broker ACL');
        this.refusal = refusal;
        this.emit('refused', refusal);
        return;
      }
      log.debug({ err: { message: err.message } }, 'office broker error');
    });
    client.on('message', (topic, payload, packet) => {
      let body: unknown;
      try {
        body = JSON.parse(payload.toString('utf8'));
      } catch {
        log.warn({ topic }, 'office message is not JSON; dropped');
        return;
      }
      if (topic === this.topics.claim) {
        const p = packet.properties;
        const req = body as ClaimRequest;
        if (!p?.responseTopic || !p.correlationData || typeof req.claimId !== 'string' || typeof req.counter !== 'string') {
          log.warn({ topic }, 'claim without response topic, correlation data or ids; dropped');
          return;
        }
        this.emit('claim', req, { responseTopic: p.responseTopic, correlationData: Buffer.from(p.correlationData) });
        return;
      }
      const m = body as InboxMessage;
      if (m.kind === 'claim_reply') {
        const corr = packet.properties?.correlationData ? Buffer.from(packet.properties.correlationData).toString('utf8') : m.claimId;
        this.waiting.get(corr)?.(m);
        return;
      }
      this.emit('inbox', m);
    });
  }

  /**
   * MQTT 5 request/response: the claim goes to the authority with this box's inbox as the
   * response topic and the claim id as correlation data. Resolves null on timeout or when not
   * connected; the caller then abandons the claim id.
   */
  requestClaim(req: ClaimRequest, timeoutMs: number, signal?: AbortSignal): Promise<ClaimReply | null> {
    const client = this.client;
    if (!client?.connected) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (r: ClaimReply | null) => {
        clearTimeout(timer);
        this.waiting.delete(req.claimId);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(req.claimId, done);
      client.publish(this.topics.claim, JSON.stringify(req), {
        qos: 1,
        properties: { responseTopic: this.topics.inbox(this.opts.device), correlationData: Buffer.from(req.claimId, 'utf8') },
      });
    });
  }

  reply(to: { responseTopic: string; correlationData: Buffer }, reply: ClaimReply): void {
    this.client?.publish(to.responseTopic, JSON.stringify({ kind: 'claim_reply', ...reply }), { qos: 1, properties: { correlationData: to.correlationData } });
  }

  send(toDevice: string, m: InboxMessage): void {
    if (this.client?.connected) this.client.publish(this.topics.inbox(toDevice), JSON.stringify(m), { qos: 1 });
  }

  /**
   * Leaves the broker with the retained presence `offline` and a normal DISCONNECT (so the broker
   * does not send the `lost` will); forced after 2 s when the broker does not answer.
   */
  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    const forced = setTimeout(() => c.end(true), 2000);
    try {
      if (c.connected) await c.publishAsync(this.topics.presence(this.opts.device), this.presence('offline'), { qos: 1, retain: true });
      await c.endAsync(false);
    } catch {
      c.end(true);
    } finally {
      clearTimeout(forced);
    }
  }
}
