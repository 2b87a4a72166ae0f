/**
 * Sensor configuration as the agent's config file gives it. Checked here once, before any driver
 * opens; a wrong key is a TypeError naming the key, so the agent can list it and refuse to start.
 */
export type FingerprintConfig =
  | { readonly driver: 'sim'; readonly model?: string }
  | {
      readonly driver: 'usb';
      /** Profile name from profiles/index.ts; when absent the profile comes from vid:pid. */
      readonly profile?: string;
      /** Pick one device id when the profile knows several, or override for a rebadged sensor. */
      readonly vid?: number;
      readonly pid?: number;
      /** Upper bound for reading one frame once the finger is down (ms); 5000 by default. */
      readonly captureTimeoutMs?: number;
    };

const USB_KEYS = new Set(['driver', 'profile', 'vid', 'pid', 'captureTimeoutMs']);
const SIM_KEYS = new Set(['driver', 'model']);

export function parseFingerprintConfig(raw: unknown, profileNames: readonly string[]): FingerprintConfig {
  if (typeof raw !== 'object' || raw === null) throw new TypeError('fingerprint: config must be an object');
  const cfg = raw as Record<string, unknown>;
  if (cfg.driver === 'sim') {
    rejectUnknownKeys(cfg, SIM_KEYS);
    if (cfg.model !== undefined && typeof cfg.model !== 'string') throw new TypeError('fingerprint.model: must be a string');
    return Object.freeze({ driver: 'sim', ...(cfg.model === undefined ? {} : { model: cfg.model }) });
  }
  if (cfg.driver !== 'usb') {
    throw new TypeError(`fingerprint.driver: must be "usb" or "sim", got ${JSON.stringify(cfg.driver)}`);
  }
  rejectUnknownKeys(cfg, USB_KEYS);
  if (cfg.profile !== undefined && (typeof cfg.profile !== 'string' || !profileNames.includes(cfg.profile))) {
    throw new TypeError(`fingerprint.profile: unknown profile ${JSON.stringify(cfg.profile)}; known: ${profileNames.join(', ')}`);
  }
  for (const key of ['vid', 'pid'] as const) {
    const v = cfg[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 0xffff)) {
      throw new TypeError(`fingerprint.${key}: must be an integer in 0..0xffff`);
    }
  }
  if ((cfg.vid === undefined) !== (cfg.pid === undefined)) {
    throw new TypeError('fingerprint.vid/pid: give both or neither');
  }
  if (cfg.profile === undefined && cfg.vid === undefined) {
    throw new TypeError('fingerprint: give profile or vid and pid');
  }
  const t = cfg.captureTimeoutMs;
  if (t !== undefined && (!Number.isInteger(t) || (t as number) < 100 || (t as number) > 60_000)) {
    throw new TypeError('fingerprint.captureTimeoutMs: must be an integer in 100..60000');
  }
  return Object.freeze({ ...(cfg as FingerprintConfig & { driver: 'usb' }) });
}

function rejectUnknownKeys(cfg: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(cfg)) {
    if (!allowed.has(key)) throw new TypeError(`fingerprint.${key}: unknown key`);
  }
}
