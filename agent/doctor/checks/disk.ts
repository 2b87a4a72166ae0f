import { statfs } from 'node:fs/promises';
import { describeError, verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'disk';
const MB = 1024 * 1024;
/**
 * SQLite needs room for its journal to commit at all; below this the next transaction may fail.
 * The warning level leaves weeks of ledger growth (a few kB per resident) to react.
 */
const FULL_BYTES = 100 * MB;
const LOW_BYTES = 500 * MB;
const LOW_FRACTION = 0.05;

export async function checkDisk(ctx: DoctorContext): Promise<CheckResult> {
  const dir = ctx.dataDir;
  if (dir === undefined) throw new Error('checkDisk needs ctx.dataDir');
  let free: number;
  let total: number;
  try {
    const s = await statfs(dir);
    // bavail: what an unprivileged user (the agent) may still use; root's reserve does not count.
    free = s.bavail * s.bsize;
    total = s.blocks * s.bsize;
  } catch (err) {
    return verdict(CHECK, 'DATA_DIR_MISSING', `${dir}: ${describeError(err)}`);
  }
  const pct = total > 0 ? (free / total) * 100 : 0;
  const detail = `${Math.round(free / MB)} MB free of ${Math.round(total / MB)} MB (${pct.toFixed(1)}%) at ${dir}`;
  if (free < FULL_BYTES) return verdict(CHECK, 'DISK_FULL', detail);
  if (free < LOW_BYTES || free / total < LOW_FRACTION) return verdict(CHECK, 'DISK_LOW', detail);
  return verdict(CHECK, 'DISK_OK', detail);
}
