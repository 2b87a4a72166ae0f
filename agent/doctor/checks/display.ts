import { isDeviceError } from '../../../drivers/deviceError.ts';
import { describeError, verdict, type DoctorCode } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'display';

/** What the person running the doctor should see on the screen while it is checked. */
export const PROBE_LINES = ['PEMERIKSAAN LAYAR', 'Bila tulisan ini', 'terbaca, layar baik.', 'ektp-agent doctor'] as const;

function fromError(err: unknown): DoctorCode {
  if (isDeviceError(err) && err.code === 'DISPLAY_ABSENT') return 'DISPLAY_ABSENT';
  return 'DISPLAY_ERROR';
}

/**
 * Opens the display (which initialises the controller: the first write is the address probe, so
 * a wrong address or a loose cable fails here), writes a probe screen the checker can read, and
 * closes it again. The I2C acknowledge proves the backpack answers, not that the glass shows
 * text; the probe lines are for the eye (contrast trimmer).
 */
export async function checkDisplay(ctx: DoctorContext): Promise<CheckResult> {
  const display = ctx.display;
  if (!display) throw new Error('checkDisplay needs ctx.display');
  try {
    await display.open();
    await display.show(PROBE_LINES.slice(0, display.rows));
    return verdict(CHECK, 'DISPLAY_OK', `${display.columns}x${display.rows}`);
  } catch (err) {
    return verdict(CHECK, fromError(err), describeError(err));
  } finally {
    await display.close().catch(() => undefined);
  }
}
