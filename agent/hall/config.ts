import { join } from 'node:path';
import type { Config } from '../config/types.ts';
import { DEFAULT_BASE_TOPIC, isBaseTopic } from '../status/topics.ts';

/** What the page needs to know, sent as /config.json: nothing secret, nothing personal. */
export interface HallPageConfig {
  readonly office: string;
  readonly region: string;
  readonly siteId: string;
  readonly timezone: string;
  readonly brokerWsUrl: string;
  /** Subscription filter for every counter of the site: `{base}/{site}/+/now_serving`. */
  readonly topicFilter: string;
  readonly sound: boolean;
  readonly recentCalls: number;
}

/** The checks JSON Schema cannot express, as "path: message" lines for the config loader. */
/**
 * The hall block's rules the schema cannot say, read from the raw (defaulted) block so the config
 * loader lists them beside the schema's own problems; a value of the wrong type is the schema's.
 */
export function hallConfigProblems(hall: unknown): string[] {
  if (!isObject(hall)) return [];
  const { brokerWsUrl, baseTopic } = hall;
  const problems: string[] = [];
  if (typeof brokerWsUrl === 'string') {
    try {
      const url = new URL(brokerWsUrl.replaceAll('{host}', 'display.invalid'));
      if (url.protocol !== 'ws:' && url.protocol !== 'wss:') problems.push('hall.brokerWsUrl: must be ws:// or wss:// (MQTT over WebSockets)');
    } catch {
      problems.push('hall.brokerWsUrl: not a URL (expected e.g. ws://{host}:9001)');
    }
  }
  if (typeof baseTopic === 'string' && !isBaseTopic(baseTopic)) {
    problems.push('hall.baseTopic: 1-4 levels of A-Z a-z 0-9 _ - separated by "/", no wildcards');
  }
  return problems;
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hallClipsDir(config: Config): string {
  return config.hall.clipsDir ?? join(config.dataDir, 'hall-clips');
}

export function hallPageConfig(config: Config): HallPageConfig {
  const base = config.hall.baseTopic ?? config.mqtt?.baseTopic ?? DEFAULT_BASE_TOPIC;
  return {
    office: config.site.office,
    region: config.site.region,
    siteId: config.site.id,
    timezone: config.site.timezone,
    brokerWsUrl: config.hall.brokerWsUrl,
    topicFilter: `${base}/${config.site.id}/+/now_serving`,
    sound: config.hall.sound,
    recentCalls: config.hall.recentCalls,
  };
}
