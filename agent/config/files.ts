import { accessSync, constants, readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { DEV_KEY_ID } from '../roster/devKey.ts';
import type { Config } from './types.ts';

/** One roster trust entry: a readable PEM file holding an Ed25519 public key. */
export function rosterKeyProblem(entry: string): string | null {
  if (entry === DEV_KEY_ID) return null;
  let pem: Buffer;
  try {
    pem = readFileSync(entry);
  } catch (err) {
    return `cannot read ${entry}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? null : `${entry} is a ${key.asymmetricKeyType} key; roster signatures are Ed25519`;
  } catch {
    return `${entry} is not a PEM public key`;
  }
}

function readable(path: string): string | null {
  try {
    accessSync(path, constants.R_OK);
    return null;
  } catch (err) {
    return `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

/**
 * Every file the config names, checked before the agent starts (and by `config check`), so a
 * typo'd path is one clear line instead of a service that restarts forever. Device nodes are the
 * doctor's business: they come and go with USB.
 */
export function referencedFileProblems(config: Config): string[] {
  const problems: string[] = [];
  config.roster.trustedKeys.forEach((entry, i) => {
    const p = rosterKeyProblem(entry);
    if (p) problems.push(`roster.trustedKeys[${i}]: ${p}`);
  });
  for (const block of ['mqtt', 'office'] as const) {
    const tls = config[block]?.tls;
    for (const k of ['caFile', 'certFile', 'keyFile'] as const) {
      const f = tls?.[k];
      const p = f === undefined ? null : readable(f);
      if (p) problems.push(`${block}.tls.${k}: ${p}`);
    }
  }
  const sam = (config.devices.cardReader as { sam?: { kind?: string; path?: string } }).sam;
  if (sam?.kind === 'module' && typeof sam.path === 'string') {
    const p = readable(sam.path);
    if (p) problems.push(`devices.cardReader.sam.path: ${p}`);
  }
  return problems;
}
