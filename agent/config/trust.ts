import { join, relative, resolve, isAbsolute } from 'node:path';
import { DEV_KEY_ID } from '../roster/devKey.ts';

export const INSTALLED_LEDGER_KEY = '/etc/ektp-agent/ledger.key';

/**
 * Rules that only make sense across sections: what a counter with real devices may trust. A box
 * that serves real residents must name the Dinas's roster signing key and never the development
 * key (its private half is derived from a public string, so anyone can sign with it). A fully
 * simulated counter, which serves only virtual residents, trusts the development key when the
 * file names none.
 */
export function trustProblems(raw: {
  dataDir: string;
  devices: Record<string, { driver?: unknown }>;
  roster: { trustedKeys?: string[] };
  ledger: { keyFile?: string };
  mqtt: unknown;
}): string[] {
  const problems: string[] = [];
  const real = Object.values(raw.devices).some((d) => d.driver !== 'sim');
  const keys = raw.roster.trustedKeys;
  if (keys === undefined) {
    if (real) problems.push('roster.trustedKeys: required when any device driver is real: list the Dinas roster signing public key (PEM file)');
    else raw.roster.trustedKeys = [DEV_KEY_ID];
  } else if (real && keys.includes(DEV_KEY_ID)) {
    problems.push(`roster.trustedKeys: "${DEV_KEY_ID}" is the development key anyone can sign with; not allowed when any device driver is real`);
  }
  // The chain key must not travel with the data directory it seals (a copy, a backup, an insider
  // with the directory); a simulated counter has nothing real to protect and keeps it inside.
  if (raw.ledger.keyFile === undefined) raw.ledger.keyFile = real ? INSTALLED_LEDGER_KEY : join(raw.dataDir, 'ledger.key');
  const inside = relative(resolve(raw.dataDir), resolve(raw.ledger.keyFile));
  if (real && !inside.startsWith('..') && !isAbsolute(inside)) {
    problems.push(`ledger.keyFile: must be outside dataDir (${raw.dataDir}) when any device driver is real: whoever holds the data directory must not hold the key`);
  }
  const mqtt = raw.mqtt as { url?: unknown; password?: unknown; tls?: { rejectUnauthorized?: unknown } } | null;
  if (real && mqtt && typeof mqtt === 'object') {
    if (mqtt.tls?.rejectUnauthorized === false) {
      problems.push('mqtt.tls.rejectUnauthorized: false accepts any broker certificate (anyone on the LAN can pose as the monitor); not allowed with real devices');
    }
    if (mqtt.password !== undefined && typeof mqtt.url === 'string' && /^(mqtt|tcp|ws):\/\//.test(mqtt.url)) {
      problems.push('mqtt.password: sent in clear text over a plain mqtt:// or ws:// URL; use mqtts:// or wss:// with real devices');
    }
  }
  return problems;
}
