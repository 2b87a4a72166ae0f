import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { fleetFilter, type TopicName } from '../status/topics.ts';
import { FleetState, type FleetOptions } from './fleet.ts';

export interface MonitorConnection {
  readonly url: string;
  readonly base: string;
  /** One site only, or null for every site. */
  readonly site: string | null;
  readonly protocolVersion?: 4 | 5;
  readonly username?: string;
  readonly password?: string;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Also take `event` messages (counts, gap and duplicate detection). Default true. */
  readonly events?: boolean;
}

const WATCHED: readonly TopicName[] = ['status', 'info', 'health', 'metrics'];

/** The monitor's broker side: subscribes to the fleet topics and feeds a FleetState. */
export class FleetMonitor {
  readonly fleet: FleetState;
  private client: MqttClient | null = null;
  private connectError: Error | null = null;

  constructor(
    private readonly conn: MonitorConnection,
    fleetOpts: Omit<FleetOptions, 'base'> = {},
  ) {
    this.fleet = new FleetState({ base: conn.base, ...fleetOpts });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get lastError(): Error | null {
    return this.connectError;
  }

  /** Connects and subscribes; rejects if the first connection fails within `timeoutMs`. */
  async start(timeoutMs = 10_000): Promise<void> {
    const read = (f?: string) => (f ? readFileSync(f) : undefined);
    const client = await mqtt.connectAsync(this.conn.url, {
      protocolVersion: this.conn.protocolVersion ?? 5,
      clientId: `ektp-monitor-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      username: this.conn.username,
      password: this.conn.password,
      ca: read(this.conn.caFile),
      cert: read(this.conn.certFile),
      key: read(this.conn.keyFile),
      connectTimeout: timeoutMs,
      reconnectPeriod: 2000,
      clean: true,
    });
    this.client = client;
    client.on('error', (err) => {
      this.connectError = err;
    });
    client.on('message', (topic, payload) => {
      this.fleet.apply(topic, payload, Date.now());
    });
    const names = this.conn.events === false ? WATCHED : [...WATCHED, 'event' as const];
    await client.subscribeAsync(
      names.map((n) => fleetFilter(this.conn.base, this.conn.site, n)),
      { qos: 1 },
    );
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.endAsync(true);
  }
}
