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
export function trustProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  // Runs beside the schema's own lines (one pass): a section of the wrong type is the schema's
  // line to report, so these rules read only well-typed values.
  const devices = isObject(raw.devices) ? raw.devices : {};
  const real = Object.values(devices).some((d) => isObject(d) && d.driver !== 'sim');
  const roster = isObject(raw.roster) ? raw.roster : null;
  const keys = roster && Array.isArray(roster.trustedKeys) ? (roster.trustedKeys as unknown[]) : undefined;
  if (roster && roster.trustedKeys === undefined) {
    if (real) problems.push('roster.trustedKeys: required when any device driver is real: list the Dinas roster signing public key (PEM file)');
    else roster.trustedKeys = [DEV_KEY_ID];
  } else if (real && keys?.includes(DEV_KEY_ID)) {
    problems.push(`roster.trustedKeys: "${DEV_KEY_ID}" is the development key anyone can sign with; not allowed when any device driver is real`);
  }
  // The chain key must not travel with the data directory it seals (a copy, a backup, an insider
  // with the directory); a simulated counter has nothing real to protect and keeps it inside.
  const ledger = isObject(raw.ledger) ? raw.ledger : null;
  if (ledger && typeof raw.dataDir === 'string') {
    if (ledger.keyFile === undefined) ledger.keyFile = real ? INSTALLED_LEDGER_KEY : join(raw.dataDir, 'ledger.key');
    if (typeof ledger.keyFile === 'string') {
      const inside = relative(resolve(raw.dataDir), resolve(ledger.keyFile));
      if (real && !inside.startsWith('..') && !isAbsolute(inside)) {
        problems.push(`ledger.keyFile: must be outside dataDir (${raw.dataDir}) when any device driver is real: whoever holds the data directory must not hold the key`);
      }
    }
  }
  // Both broker blocks take the same credentials (agent/status/configSchema.ts BROKER_CREDENTIALS):
  // the monitoring broker and the office broker, which carries the queue and the custody moves.
  for (const block of ['mqtt', 'office'] as const) {
    const b = raw[block] as { url?: unknown; password?: unknown; tls?: { rejectUnauthorized?: unknown } } | null;
    if (!real || !b || typeof b !== 'object') continue;
    if (b.tls?.rejectUnauthorized === false) {
      problems.push(`${block}.tls.rejectUnauthorized: false accepts any broker certificate (anyone on the LAN can pose as the ${block === 'mqtt' ? 'monitor' : 'office queue'}); not allowed with real devices`);
    }
    if (b.password !== undefined && typeof b.url === 'string' && /^(mqtt|tcp|ws):\/\//.test(b.url)) {
      problems.push(`${block}.password: sent in clear text over a plain mqtt:// or ws:// URL; use mqtts:// or wss:// with real devices`);
    }
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
