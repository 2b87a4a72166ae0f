import { connect } from 'node:net';
import { verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

/** pcscd's socket on Debian 12 and Raspberry Pi OS (socket-activated by pcscd.socket). */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

/**
 * Connects to pcscd's socket. On Debian the socket unit accepts the connection even while the
 * daemon itself is stopped (it starts on demand), so a refused or missing socket means PC/SC is
 * really unavailable, not merely idle.
 */
export async function checkPcscd(ctx: DoctorContext): Promise<CheckResult> {
  if (ctx.pcscdSocket === null || ctx.pcscdSocket === undefined) return verdict('pcscd', 'PCSCD_NOT_USED');
  const path = ctx.pcscdSocket;
  const err = await new Promise<Error | null>((resolve) => {
    const sock = connect(path);
    sock.once('connect', () => {
      sock.destroy();
      resolve(null);
    });
    sock.once('error', (e) => resolve(e));
  });
  return err ? verdict('pcscd', 'PCSCD_DOWN', `${path}: ${err.message}`) : verdict('pcscd', 'PCSCD_OK', path);
}
