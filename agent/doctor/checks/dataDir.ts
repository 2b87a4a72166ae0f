import { access, constants, stat } from 'node:fs/promises';
import { describeError, verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'dataDir';

/**
 * The ledger holds names and NIKs (UU 27/2022): the data directory must exist, be writable by the
 * agent, and be closed to every other user (mode 0700, as scripts/install and the unit set it).
 */
export async function checkDataDir(ctx: DoctorContext): Promise<CheckResult> {
  const dir = ctx.dataDir;
  if (dir === undefined) throw new Error('checkDataDir needs ctx.dataDir');
  let mode: number;
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) return verdict(CHECK, 'DATA_DIR_MISSING', `${dir} is not a directory`);
    mode = st.mode & 0o777;
  } catch (err) {
    return verdict(CHECK, 'DATA_DIR_MISSING', `${dir}: ${describeError(err)}`);
  }
  const octal = mode.toString(8).padStart(4, '0');
  if ((mode & 0o077) !== 0) return verdict(CHECK, 'DATA_DIR_OPEN', `${dir} mode ${octal}, want 0700`);
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    return verdict(CHECK, 'DATA_DIR_READONLY', `${dir}: ${describeError(err)}`);
  }
  return verdict(CHECK, 'DATA_DIR_OK', `${dir} mode ${octal}`);
}
