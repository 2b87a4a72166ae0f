import { execFile } from 'node:child_process';
import { verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'clock';
/**
 * A Pi has no battery-backed clock: after a power cut without network it boots at the last saved
 * time or 1970. Anything before this software was written is certainly wrong, and so is a date
 * far ahead (slips and the ledger would carry it).
 */
const EARLIEST_YEAR = 2026;
const LATEST_YEAR = 2099;

/** `timedatectl show -p NTPSynchronized --value`; undefined when there is no timedated to ask. */
export function timedatectlSynchronized(): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], { timeout: 3000 }, (err, stdout) => {
      if (err) return resolve(undefined);
      const v = stdout.trim();
      resolve(v === 'yes' ? true : v === 'no' ? false : undefined);
    });
  });
}

export async function checkClock(ctx: DoctorContext): Promise<CheckResult> {
  const now = (ctx.now ?? (() => new Date()))();
  const iso = now.toISOString();
  const year = now.getUTCFullYear();
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return verdict(CHECK, 'CLOCK_WRONG', `system time ${iso}`);
  const synced = await (ctx.ntpSynchronized ?? timedatectlSynchronized)();
  if (synced === undefined) return verdict(CHECK, 'CLOCK_UNCHECKED', `system time ${iso}; timedatectl unavailable`);
  return synced ? verdict(CHECK, 'CLOCK_OK', iso) : verdict(CHECK, 'CLOCK_NOT_SYNCED', `system time ${iso}; NTPSynchronized=no`);
}
