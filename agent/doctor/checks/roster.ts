import { rosterKeyProblem } from '../../config/files.ts';
import { DEV_KEY_ID } from '../../roster/devKey.ts';
import { verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'roster';

/** The keys delivery rosters are checked against: present, readable, Ed25519, never the dev key on a real box. */
export async function checkRosterKeys(ctx: DoctorContext): Promise<CheckResult> {
  const keys = ctx.rosterKeys ?? [];
  if (keys.length === 0) return verdict(CHECK, 'ROSTER_KEY_MISSING', 'roster.trustedKeys lists no key');
  const problems = keys.map(rosterKeyProblem).filter((p): p is string => p !== null);
  if (problems.length > 0) return verdict(CHECK, 'ROSTER_KEY_MISSING', problems.join('; '));
  if (keys.includes(DEV_KEY_ID)) return verdict(CHECK, ctx.realDevices ? 'ROSTER_DEV_KEY_REAL' : 'ROSTER_DEV_KEY', `${DEV_KEY_ID} trusted`);
  return verdict(CHECK, 'ROSTER_KEYS_OK', `${keys.length} key(s)`);
}
