import type {
  CommandResult,
  EventPayload,
  HealthPayload,
  InfoPayload,
  MetricsPayload,
  NowServingPayload,
  StatusPayload,
} from './types.ts';

/**
 * The MQTT contract: every topic a counter publishes, its payload type and how it is sent.
 * Layout: `{base}/{site}/{device}/{name}`, base `ektp/v1` by default. The version sits in the base
 * so a v2 layout can run beside v1 during a fleet upgrade.
 *
 *   status       retained QoS1  init|ready|alert|offline; the broker's last will sets `lost`
 *   info         retained QoS1  versions, matcher + threshold, printer width, SAM present
 *   health       retained QoS1  on change and every healthIntervalS
 *   metrics      retained QoS1  today's counts; after events (debounced) and every metricsIntervalS
 *   event        QoS1           one per counter event, from the SQLite outbox, (bootId, seq) unique
 *   now_serving  retained QoS1  counter + queue number + time for the hall display (see types.ts)
 *   cmd/{name} -> cmd_result/{name}   ping | resend_info | rotate_logs
 */
export interface TopicPayloads {
  status: StatusPayload;
  info: InfoPayload;
  health: HealthPayload;
  metrics: MetricsPayload;
  event: EventPayload;
  now_serving: NowServingPayload;
}

export type TopicName = keyof TopicPayloads;

export const TOPIC_SPEC: { readonly [K in TopicName]: { readonly retain: boolean; readonly qos: 0 | 1 } } = {
  status: { retain: true, qos: 1 },
  info: { retain: true, qos: 1 },
  health: { retain: true, qos: 1 },
  metrics: { retain: true, qos: 1 },
  event: { retain: false, qos: 1 },
  now_serving: { retain: true, qos: 1 },
};

export const TOPIC_NAMES = Object.keys(TOPIC_SPEC) as TopicName[];

export const DEFAULT_BASE_TOPIC = 'ektp/v1';

/** One topic level chosen by the operator (site, device): no wildcards, separators or spaces. */
const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const BASE = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,3}$/;

export function isTopicSegment(s: string): boolean {
  return SEGMENT.test(s);
}

export function isBaseTopic(s: string): boolean {
  return BASE.test(s);
}

/** The one place where `{base}/{site}/{device}` is put in front of a topic name. */
export class CounterTopics {
  readonly prefix: string;

  constructor(base: string, site: string, device: string) {
    if (!isBaseTopic(base)) throw new TypeError(`invalid MQTT base topic "${base}"`);
    if (!isTopicSegment(site)) throw new TypeError(`invalid site id "${site}" (allowed: A-Z a-z 0-9 _ -, 1-64 chars)`);
    if (!isTopicSegment(device)) throw new TypeError(`invalid device id "${device}" (allowed: A-Z a-z 0-9 _ -, 1-64 chars)`);
    this.prefix = `${base}/${site}/${device}`;
  }

  topic(name: TopicName): string {
    return `${this.prefix}/${name}`;
  }

  /** Subscription for all commands: one level only, so `cmd/a/b` never reaches the handler. */
  get commandFilter(): string {
    return `${this.prefix}/cmd/+`;
  }

  /** The command name of a `cmd/{name}` topic, or null for any other topic. */
  commandName(topic: string): string | null {
    const head = `${this.prefix}/cmd/`;
    if (!topic.startsWith(head)) return null;
    const name = topic.slice(head.length);
    return name.length > 0 && !name.includes('/') ? name : null;
  }

  /**
   * Where the result of command `name` goes. A name that is not a clean segment (someone published
   * to `cmd/<garbage>`) is answered on `cmd_result/_invalid` so no caller controls our topic tree.
   */
  commandResult(name: string): string {
    return `${this.prefix}/cmd_result/${isTopicSegment(name) ? name : '_invalid'}`;
  }
}

export type CommandResultPayload = CommandResult;

/** Subscription filters for a fleet consumer (the monitor): all sites, or one. */
export function fleetFilter(base: string, site: string | null, name: TopicName): string {
  return `${base}/${site ?? '+'}/+/${name}`;
}

/** Splits a fleet topic back into its parts; null if it is not one of ours. */
export function parseFleetTopic(
  base: string,
  topic: string,
): { site: string; device: string; name: TopicName } | null {
  if (!topic.startsWith(`${base}/`)) return null;
  const parts = topic.slice(base.length + 1).split('/');
  if (parts.length !== 3) return null;
  const [site, device, name] = parts;
  if (!isTopicSegment(site) || !isTopicSegment(device)) return null;
  if (!Object.hasOwn(TOPIC_SPEC, name)) return null;
  return { site, device, name: name as TopicName };
}
