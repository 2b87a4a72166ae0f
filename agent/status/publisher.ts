import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../../drivers/logger.ts';
import type { CounterEvent, CounterMetrics, NowServing } from '../events.ts';
import { MqttLink } from './client.ts';
import { runCommand, type CommandHandlers } from './commands.ts';
import { TokenBucket } from './rateLimit.ts';
import { resolveMqttConfig } from './config.ts';
import { discoveryMessages, HA_STATUS_TOPIC } from './discovery.ts';
import { Outbox, type EnqueueResult } from './outbox.ts';
import {
  alertsFrom,
  findPersonalData,
  toHealthPayload,
  toInfoPayload,
  toMetricsPayload,
  toNowServingPayload,
} from './payloads.ts';
import { CounterTopics, TOPIC_SPEC, type TopicName, type TopicPayloads } from './topics.ts';
import {
  StatusError,
  type BrokerState,
  type CommandResult,
  type DeviceHealth,
  type DeviceInfo,
  type HealthPayload,
  type MqttConfig,
  type ResolvedMqttConfig,
  type StatusPayload,
} from './types.ts';

export interface StatusPublisherOptions {
  /** null = no broker: events wait in the outbox and health says `broker: not_configured`. */
  readonly config: MqttConfig | null;
  readonly site: string;
  readonly device: string;
  /** The agent's SQLite handle (configureDatabase already applied); the outbox lives in it. */
  readonly db: Database;
  readonly logger: Logger;
  readonly info: () => DeviceInfo;
  readonly health: () => DeviceHealth;
  readonly metrics: () => CounterMetrics;
  /** Handler for the `rotate_logs` command; without it the command answers NOT_SUPPORTED. */
  readonly rotateLogs?: () => void | Promise<void>;
  /** Fixed boot id for tests; a random UUID per process otherwise. */
  readonly bootId?: string;
}

/** Events in flight at once while draining; the broker keeps QoS 1 order within a connection. */
const DRAIN_WINDOW = 32;
/** A display board shows a queue number for minutes, not hours (MQTT 5 message expiry). */
const NOW_SERVING_EXPIRY_S = 4 * 3600;
const METRICS_DEBOUNCE_MS = 2000;
/** Commands: a burst of 20, then one per second; beyond that they are dropped (one log line). */
const COMMAND_BURST = 20;
const COMMANDS_PER_S = 1;
/** `resend_info` republishes the four retained topics at most this often; more asks coalesce. */
const RESEND_MIN_INTERVAL_MS = 10_000;

/**
 * The counter's voice on MQTT: retained status/info/health/metrics, the outbox-backed event
 * stream, the hall display feed and the command allow-list. Every public method returns at once
 * or resolves without throwing when the broker is down; a counter transaction never waits for it.
 */
export class StatusPublisher {
  readonly bootId: string;
  private readonly commandBucket = new TokenBucket(COMMAND_BURST, COMMANDS_PER_S);
  private commandsDropping = false;
  private lastResendAt = Number.NEGATIVE_INFINITY;
  readonly bootTs: string;
  readonly outbox: Outbox;
  readonly topics: CounterTopics;
  private readonly config: ResolvedMqttConfig | null;
  private readonly log: Logger;
  private readonly link: MqttLink | null;
  // Monotonic: uptime must not jump when NTP steps the wall clock at boot.
  private readonly startedAt = performance.now();
  private timers: NodeJS.Timeout[] = [];
  private metricsTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private lastNowServing: string | null = null;
  private lastHealthKey = '';
  private lastStatusKey = '';
  private stopped = false;
  private unsubscribeOutbox: () => void = () => {};

  constructor(private readonly opts: StatusPublisherOptions) {
    this.log = opts.logger.child({ module: 'mqtt' });
    this.bootId = opts.bootId ?? randomUUID();
    this.bootTs = new Date().toISOString();
    if (opts.config) {
      const { config, errors } = resolveMqttConfig(opts.config);
      if (errors.length > 0) {
        throw new StatusError('MQTT_CONFIG_INVALID', `invalid MQTT config:\n  ${errors.join('\n  ')}`, { detail: { errors } });
      }
      this.config = config;
    } else {
      this.config = null;
    }
    this.topics = new CounterTopics(this.config?.baseTopic ?? 'ektp/v1', opts.site, opts.device);
    this.outbox = new Outbox(opts.db, { bootId: this.bootId, maxEvents: this.config?.outboxMaxEvents });
    this.link = this.config
      ? new MqttLink({
          config: this.config,
          clientId: this.config.clientId ?? `ektp-${opts.site}-${opts.device}`,
          will: { topic: this.topics.topic('status'), payload: JSON.stringify(this.statusPayload('lost', [])), qos: 1, retain: true },
          subscriptions: [this.topics.commandFilter, ...(this.config.homeAssistantDiscovery ? [HA_STATUS_TOPIC] : [])],
          log: this.log,
        })
      : null;
  }

  /** MQTT PUBLISH packets sent since start (all topics, including re-sends). */
  get messagesSent(): number {
    return this.link?.sent ?? 0;
  }

  get brokerState(): BrokerState {
    if (!this.link) return 'not_configured';
    return this.stopped ? 'stopped' : this.link.state;
  }

  /**
   * Starts connecting in the background and returns at once; a missing TLS file throws here
   * (config error, before the counter opens). Without a broker it only logs how many events wait.
   */
  start(): void {
    this.unsubscribeOutbox = this.outbox.onEnqueue(() => this.scheduleDrain());
    if (!this.link || !this.config) {
      this.log.info({ outboxDepth: this.outbox.depth() }, 'no MQTT broker configured; events are kept in the outbox');
      return;
    }
    this.link.on('connect', () => this.onConnect());
    this.link.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.link.start();
    const every = (s: number, f: () => void) => {
      const t = setInterval(f, s * 1000);
      t.unref();
      this.timers.push(t);
    };
    every(this.config.healthIntervalS, () => void this.publishHealth(true));
    every(this.config.metricsIntervalS, () => void this.publishMetrics());
  }

  /** Resolves true once connected, false after `timeoutMs` (for systemd READY=1 ordering). */
  waitConnected(timeoutMs: number): Promise<boolean> {
    const link = this.link;
    if (!link) return Promise.resolve(false);
    if (link.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        link.off('connect', onConnect);
        resolve(v);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      link.on('connect', onConnect);
    });
  }

  /**
   * Stores the event in the outbox (synchronously; throws PayloadError for a malformed event) and
   * starts delivering in the background. Inside a counter transaction use `outbox.enqueue(e)`
   * instead, and `drain()` after the commit; the outbox also schedules a drain by itself.
   */
  publishEvent(e: CounterEvent): EnqueueResult {
    const r = this.outbox.enqueue(e);
    this.afterEnqueue(r);
    return r;
  }

  /** Delivers outbox rows in order until it is empty or the broker goes away. Never rejects. */
  drain(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = this.drainLoop()
      .catch((err: unknown) => this.log.error({ err: { message: (err as Error).message } }, 'outbox drain failed'))
      .finally(() => {
        this.draining = null;
      });
    return this.draining;
  }

  /** Hall display feed: published retained when connected, else the latest is sent on connect. */
  nowServing(n: NowServing): void {
    let payload: string;
    try {
      payload = JSON.stringify(toNowServingPayload(n, new Date()));
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'now_serving not published: malformed');
      return;
    }
    this.lastNowServing = payload;
    void this.send('now_serving', payload);
  }

  /** Call when hardware health may have changed; publishes health and status only if they did. */
  healthChanged(): void {
    void this.publishHealth(false);
  }

  /** Call after counts change outside events (queue taken); published debounced. */
  metricsChanged(): void {
    if (this.metricsTimer || !this.link) return;
    this.metricsTimer = setTimeout(() => {
      this.metricsTimer = null;
      void this.publishMetrics();
    }, METRICS_DEBOUNCE_MS);
    this.metricsTimer.unref();
  }

  /** The full health document, also for local use (CLI, logs) when no broker is configured. */
  health(): HealthPayload {
    return toHealthPayload(
      this.opts.health(),
      {
        bootId: this.bootId,
        uptimeS: (performance.now() - this.startedAt) / 1000,
        broker: this.brokerState,
        outbox: this.outbox.health(),
      },
      new Date(),
    );
  }

  /**
   * Clean shutdown: waits briefly for an in-progress drain, then publishes retained `offline`,
   * clears the display feed and disconnects normally so the broker does not fire the last will.
   */
  async stop(timeoutMs = 3000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribeOutbox();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    if (!this.link) return;
    if (this.draining) await Promise.race([this.draining, sleep(timeoutMs, undefined, { ref: false })]);
    const final = [
      { topic: this.topics.topic('status'), payload: JSON.stringify(this.statusPayload('offline', [])), qos: 1 as const, retain: true },
      ...(this.lastNowServing ? [{ topic: this.topics.topic('now_serving'), payload: '', qos: 1 as const, retain: true }] : []),
    ];
    await this.link.stop(final, timeoutMs);
    this.log.info({ outboxDepth: this.outbox.depth() }, 'MQTT status stopped');
  }

  private afterEnqueue(r: EnqueueResult): void {
    if (r.dropped > 0) {
      this.log.warn({ dropped: r.dropped, maxEvents: this.outbox.maxEvents }, 'outbox full: dropped oldest events');
    }
    this.metricsChanged();
  }

  private scheduleDrain(): void {
    if (!this.link || this.stopped) return;
    // After the caller's synchronous transaction has committed, never inside it.
    setImmediate(() => void this.drain());
  }

  private async drainLoop(): Promise<void> {
    while (this.link?.connected && !this.stopped) {
      if (this.opts.db.inTransaction) {
        // Someone holds an open transaction across an await: rows may still roll back. Try later.
        setTimeout(() => void this.drain(), 50).unref();
        return;
      }
      const rows = this.outbox.peek(DRAIN_WINDOW);
      if (rows.length === 0) return;
      const results = await Promise.allSettled(rows.map((r) => this.sendChecked('event', r.json)));
      // Only a delivered prefix is acknowledged: re-sending a tail keeps order (consumers drop
      // duplicates by bootId+seq); acknowledging past a failure would reorder.
      let n = 0;
      while (n < results.length && results[n].status === 'fulfilled') n++;
      this.outbox.ackMany(rows.slice(0, n).map((r) => r.id));
      if (n < rows.length) {
        this.log.debug({ delivered: n, pending: this.outbox.depth() }, 'outbox drain paused (broker away)');
        return;
      }
    }
  }

  private onConnect(): void {
    // Birth sequence (pain point 16): everything retained is re-sent on every connect, because a
    // broker restarted without persistence has forgotten it.
    this.lastHealthKey = '';
    this.lastStatusKey = '';
    void this.publishHealth(true);
    void this.publishInfo();
    void this.publishMetrics();
    if (this.lastNowServing) void this.send('now_serving', this.lastNowServing);
    if (this.config?.homeAssistantDiscovery) this.publishDiscovery();
    void this.drain();
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === HA_STATUS_TOPIC) {
      if (payload.toString() === 'online') this.onConnect();
      return;
    }
    const name = this.topics.commandName(topic);
    if (name === null) return;
    if (!this.commandBucket.take()) {
      // No answer either: an answer per dropped command would be the flood again.
      if (!this.commandsDropping) this.log.warn({ command: name.slice(0, 64) }, 'MQTT commands arrive too fast; dropping until the rate falls');
      this.commandsDropping = true;
      return;
    }
    this.commandsDropping = false;
    void runCommand(name, payload, this.commandHandlers()).then((result) => this.sendResult(name, result));
  }

  private commandHandlers(): CommandHandlers {
    return {
      ping: async () => ({ pong: true, bootId: this.bootId, uptimeS: Math.round((performance.now() - this.startedAt) / 1000) }),
      resend_info: async () => {
        const since = performance.now() - this.lastResendAt;
        if (since < RESEND_MIN_INTERVAL_MS) return { resent: [], coalesced: true, retryAfterS: Math.ceil((RESEND_MIN_INTERVAL_MS - since) / 1000) };
        this.lastResendAt = performance.now();
        this.onConnect();
        return { resent: ['status', 'info', 'health', 'metrics'] };
      },
      rotate_logs: this.opts.rotateLogs
        ? async () => {
            await this.opts.rotateLogs?.();
            return { rotated: true };
          }
        : undefined,
    };
  }

  private sendResult(name: string, result: CommandResult): void {
    if (!result.ok) this.log.warn({ command: name.slice(0, 64), code: result.error.code }, 'MQTT command refused');
    void this.link
      ?.publish(this.topics.commandResult(name), JSON.stringify(result), { qos: 1, retain: false })
      .catch(() => undefined);
  }

  private statusPayload(state: StatusPayload['state'], alerts: readonly string[]): StatusPayload {
    return { state, bootId: this.bootId, ts: new Date().toISOString(), alerts };
  }

  private async publishHealth(force: boolean): Promise<void> {
    let health: HealthPayload;
    try {
      health = this.health();
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'health callback failed');
      return;
    }
    const alerts = alertsFrom(health);
    const status = this.statusPayload(alerts.length > 0 ? 'alert' : 'ready', alerts);
    const statusKey = `${status.state}|${alerts.join(',')}`;
    if (force || statusKey !== this.lastStatusKey) {
      this.lastStatusKey = statusKey;
      await this.send('status', JSON.stringify(status));
    }
    const { ts: _ts, uptimeS: _u, outbox, ...rest } = health;
    const healthKey = JSON.stringify({ ...rest, depth: outbox.depth, dropped: outbox.dropped });
    if (force || healthKey !== this.lastHealthKey) {
      this.lastHealthKey = healthKey;
      await this.send('health', JSON.stringify(health));
    }
  }

  private async publishInfo(): Promise<void> {
    try {
      await this.send('info', JSON.stringify(toInfoPayload(this.opts.info(), this.bootId, this.bootTs, new Date())));
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'info callback failed');
    }
  }

  private async publishMetrics(): Promise<void> {
    try {
      await this.send('metrics', JSON.stringify(toMetricsPayload(this.opts.metrics(), this.bootId, new Date())));
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'metrics callback failed');
    }
  }

  private publishDiscovery(): void {
    for (const m of discoveryMessages(this.topics, this.opts.site, this.opts.device, this.opts.info())) {
      void this.link?.publish(m.topic, m.payload, { qos: 1, retain: true }).catch(() => undefined);
    }
  }

  /** Fire-and-forget publish of a retained/state topic: logs nothing while disconnected. */
  private async send<K extends TopicName>(name: K, json: string): Promise<void> {
    if (!this.link?.connected) return;
    await this.sendChecked(name, json).catch((err: unknown) =>
      this.log.debug({ topic: name, err: { message: (err as Error).message } }, 'MQTT publish failed'),
    );
  }

  /**
   * The single way out to the broker for our topics: privacy gate, then publish with the topic's
   * QoS/retain. Rejects when disconnected so the outbox keeps the row.
   */
  private sendChecked<K extends keyof TopicPayloads>(name: K, json: string): Promise<void> {
    const found = findPersonalData(json);
    if (found) {
      this.log.error({ topic: name, reason: found }, 'payload blocked: looks like personal data');
      // An event that cannot be sent safely must not block the outbox forever: it is resolved
      // (and so acknowledged) without being published; the error log is the trace.
      return name === 'event' ? Promise.resolve() : Promise.reject(new StatusError('MQTT_PRIVACY_BLOCKED', 'blocked'));
    }
    const spec = TOPIC_SPEC[name];
    return this.link!.publish(this.topics.topic(name), json, {
      qos: spec.qos,
      retain: spec.retain,
      expirySeconds: name === 'now_serving' ? NOW_SERVING_EXPIRY_S : undefined,
    });
  }
}
