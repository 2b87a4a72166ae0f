import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { withTimeout } from '../../drivers/deviceError.ts';
import type { Logger } from '../../drivers/logger.ts';
import { StatusError, type BrokerState, type MqttConfig, type ResolvedMqttConfig } from './types.ts';

export interface LinkMessage {
  readonly topic: string;
  readonly retain: boolean;
  readonly qos: 0 | 1;
}

export interface LinkWill extends LinkMessage {
  readonly payload: string;
}

interface LinkEvents {
  connect: [];
  disconnect: [];
  message: [topic: string, payload: Buffer];
}

/**
 * One logical broker connection over mqtt.js with our own reconnect loop. mqtt.js retries on a
 * fixed period and replays its in-memory in-flight store after a reconnect; we need exponential
 * backoff (a fleet of counters must not hammer a broker that just came back) and the SQLite outbox
 * as the only replay source, so every attempt gets a fresh mqtt.js client with `reconnectPeriod: 0`.
 * Nothing here throws after start(): outages are logged and reported through `state`.
 */
export class MqttLink extends EventEmitter<LinkEvents> {
  private client: MqttClient | null = null;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private _state: BrokerState = 'disconnected';
  private wasConnected = false;
  private tlsMaterial: BrokerAuthOptions = {};
  /** PUBLISH packets handed to the broker connection since start (for benchmarks and debugging). */
  sent = 0;

  constructor(
    private readonly opts: {
      config: ResolvedMqttConfig;
      clientId: string;
      will: LinkWill;
      subscriptions: readonly string[];
      log: Logger;
    },
  ) {
    super();
  }

  get state(): BrokerState {
    return this._state;
  }

  get connected(): boolean {
    return this._state === 'connected';
  }

  /** Reads TLS files (a missing one is a config error, thrown now) and starts connecting. */
  start(): void {
    this.tlsMaterial = brokerAuthOptions(this.opts.config, (what, file, err) => new StatusError('MQTT_TLS_FILE', `cannot read MQTT TLS ${what} file ${file}`, { cause: err, detail: { file } }));
    this.stopping = false;
    this.attempt();
  }

  private attempt(): void {
    this.retryTimer = null;
    if (this.stopping) return;
    const c = this.opts.config;
    this._state = 'connecting';
    const client = mqtt.connect(c.url, {
      clientId: this.opts.clientId,
      protocolVersion: c.protocolVersion,
      clean: true,
      keepalive: c.keepaliveS,
      connectTimeout: c.connectTimeoutS * 1000,
      reconnectPeriod: 0,
      ...this.tlsMaterial,
      will: { topic: this.opts.will.topic, payload: Buffer.from(this.opts.will.payload), qos: this.opts.will.qos, retain: this.opts.will.retain },
      resubscribe: false,
    });
    this.client = client;
    client.on('connect', () => {
      if (this.client !== client) return;
      this.failures = 0;
      this._state = 'connected';
      this.wasConnected = true;
      this.opts.log.info({ url: redactUrl(c.url) }, 'connected to MQTT broker');
      if (this.opts.subscriptions.length > 0) {
        client.subscribe([...this.opts.subscriptions], { qos: 1 }, (err) => {
          if (err) this.opts.log.warn({ err: { message: err.message } }, 'MQTT subscribe failed');
        });
      }
      this.emit('connect');
    });
    client.on('message', (topic, payload) => {
      if (this.client === client) this.emit('message', topic, payload);
    });
    client.on('error', (err: Error & { code?: unknown }) => {
      if (this.client !== client) return;
      // One warn per outage; further failed attempts go to debug so a long outage cannot flood the log.
      const level = this.failures === 0 ? 'warn' : 'debug';
      this.opts.log[level]({ err: { message: err.message, code: err.code }, attempt: this.failures + 1 }, 'MQTT connection error');
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      const wasUp = this._state === 'connected';
      this._state = this.stopping ? 'stopped' : 'disconnected';
      // Forced end flushes mqtt.js in-flight callbacks with an error, so awaiting publishers wake up.
      client.end(true);
      if (wasUp && !this.stopping) {
        this.opts.log.warn({}, 'lost connection to MQTT broker; events stay in the outbox');
        this.emit('disconnect');
      }
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.stopping || this.retryTimer) return;
    const { reconnectMinMs: min, reconnectMaxMs: max } = this.opts.config;
    const base = Math.min(max, min * 2 ** Math.min(this.failures, 20));
    // Full-range jitter on the upper half spreads a fleet's reconnects after a broker restart.
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.failures++;
    if (this.failures === 1 && !this.wasConnected) {
      this.opts.log.warn({ retryInMs: delay }, 'MQTT broker unreachable; will keep retrying, events stay in the outbox');
    }
    this.retryTimer = setTimeout(() => this.attempt(), delay);
    this.retryTimer.unref();
  }

  /** Publishes when connected; rejects at once otherwise (the caller keeps the data). */
  publish(topic: string, payload: string, opts: { qos: 0 | 1; retain: boolean; expirySeconds?: number }): Promise<void> {
    const client = this.client;
    if (!client || this._state !== 'connected') return Promise.reject(new Error('MQTT not connected'));
    const properties =
      opts.expirySeconds !== undefined && this.opts.config.protocolVersion === 5
        ? { messageExpiryInterval: opts.expirySeconds }
        : undefined;
    this.sent++;
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: opts.qos, retain: opts.retain, properties }, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * Ends the connection. `last` (the retained "offline" status) is published and acknowledged
   * first, then a normal DISCONNECT, which tells the broker not to send the will (pain point 17).
   */
  async stop(last: readonly (LinkMessage & { payload: string })[] = [], timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    if (!client) {
      this._state = 'stopped';
      return;
    }
    if (this._state === 'connected') {
      try {
        await withTimeout(() => Promise.all(last.map((m) => this.publish(m.topic, m.payload, m))), timeoutMs, () => timedOut(timeoutMs));
      } catch (err) {
        this.opts.log.warn({ err: { message: (err as Error).message } }, 'could not publish final status before disconnect');
      }
    }
    await withTimeout(() => client.endAsync(false), timeoutMs, () => timedOut(timeoutMs)).catch(() => client.end(true));
    this.client = null;
    this._state = 'stopped';
  }
}

export type BrokerAuthOptions = Pick<IClientOptions, 'username' | 'password' | 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;

/**
 * The credentials and TLS material of a broker block (`mqtt` or `office`) as mqtt.js takes them.
 * The files are read now: `fail` makes the coded error for one that cannot be read.
 */
export function brokerAuthOptions(
  c: Pick<MqttConfig, 'username' | 'password' | 'tls'>,
  fail: (what: string, file: string, err: unknown) => Error,
): BrokerAuthOptions {
  const read = (what: string, file: string | undefined): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw fail(what, file, err);
    }
  };
  const tls = c.tls;
  return {
    username: c.username,
    password: c.password,
    ca: read('CA', tls?.caFile),
    cert: read('certificate', tls?.certFile),
    key: read('key', tls?.keyFile),
    rejectUnauthorized: tls?.rejectUnauthorized ?? true,
    servername: tls?.servername,
  };
}

const timedOut = (ms: number) => new Error(`timed out after ${ms} ms`);

/** Drops credentials from a URL before it is logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
