import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../drivers/logger.ts';
import type { OfficeConfig } from '../config/types.ts';
import type { ClaimReply, ClaimRequest, InboxMessage } from './protocol.ts';
import { OfficeTopics } from './protocol.ts';

interface LinkEvents {
  up: [];
  down: [];
  /** A message on this box's inbox (journal, ack, claim reply). */
  inbox: [InboxMessage];
  /** Authority only: a claim request with where to answer. */
  claim: [ClaimRequest, { responseTopic: string; correlationData: Buffer }];
}

/**
 * This box's connection to the office broker (MQTT 5). mqtt.js reconnects every second on its
 * own here: everything that must not be lost is in the office journal and re-sent until
 * acknowledged, and every message is idempotent, so a replayed in-flight publish is harmless.
 */
export class OfficeLink extends EventEmitter<LinkEvents> {
  readonly topics: OfficeTopics;
  private client: MqttClient | null = null;
  private readonly waiting = new Map<string, (r: ClaimReply) => void>();

  constructor(
    private readonly opts: { config: OfficeConfig; site: string; device: string; authority: boolean; logger: Logger },
  ) {
    super();
    this.topics = new OfficeTopics(opts.config.baseTopic, opts.site);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const { config, device } = this.opts;
    const log = this.opts.logger;
    const client = mqtt.connect(config.url, {
      clientId: `ektp-office-${this.opts.site}-${device}`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      keepalive: 10,
    });
    this.client = client;
    client.on('connect', () => {
      const subs = [this.topics.inbox(device), ...(this.opts.authority ? [this.topics.claim] : [])];
      client.subscribe(subs, { qos: 1 }, (err) => {
        if (err) log.warn({ err: { message: err.message } }, 'office subscribe failed');
        else this.emit('up');
      });
    });
    client.on('close', () => this.emit('down'));
    client.on('error', (err) => log.debug({ err: { message: err.message } }, 'office broker error'));
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

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.endAsync(true).catch(() => undefined);
  }
}
