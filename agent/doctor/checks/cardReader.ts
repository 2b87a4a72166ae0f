import { isDeviceError } from '../../../drivers/deviceError.ts';
import type { ReaderHealth } from '../../../drivers/card/types.ts';
import { describeError, verdict, type DoctorCode } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'cardReader';

function fromHealth(h: ReaderHealth): DoctorCode {
  if (h.reader === 'absent') return 'READER_ABSENT';
  if (h.reader === 'service_unavailable') return 'READER_SERVICE_DOWN';
  if (h.reader === 'error') return 'READER_ERROR';
  if (h.sam === 'absent') return 'SAM_ABSENT';
  if (h.sam === 'locked') return 'SAM_LOCKED';
  if (h.sam === 'error') return 'SAM_ERROR';
  return 'READER_OK';
}

function fromError(err: unknown): DoctorCode {
  if (!isDeviceError(err)) return 'READER_ERROR';
  switch (err.code) {
    case 'READER_ABSENT':
      return 'READER_ABSENT';
    case 'SERVICE_UNAVAILABLE':
      return 'READER_SERVICE_DOWN';
    case 'SAM_ABSENT':
      return 'SAM_ABSENT';
    case 'SAM_REFUSED':
    case 'AUTH_FAILED':
      return 'SAM_ERROR';
    default:
      return 'READER_ERROR';
  }
}

/** Opens the reader and reads its health: the reader itself first, then the SAM behind it. */
export async function checkCardReader(ctx: DoctorContext): Promise<CheckResult> {
  const reader = ctx.cardReader;
  if (!reader) throw new Error('checkCardReader needs ctx.cardReader');
  try {
    await reader.open();
    const health = reader.health();
    const code = fromHealth(health);
    const detail = `reader=${health.reader} sam=${health.sam}${health.lastError ? ` lastError=${health.lastError}` : ''}`;
    return verdict(CHECK, code, detail);
  } catch (err) {
    return verdict(CHECK, fromError(err), describeError(err));
  } finally {
    await reader.close().catch(() => undefined);
  }
}
