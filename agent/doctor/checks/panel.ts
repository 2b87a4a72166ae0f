import { isDeviceError } from '../../../drivers/deviceError.ts';
import { describeError, verdict, type DoctorCode } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'panel';

function fromError(err: unknown): DoctorCode {
  if (!isDeviceError(err)) return 'PANEL_ERROR';
  if (err.code === 'GPIO_UNAVAILABLE') return 'PANEL_UNAVAILABLE';
  if (err.code === 'GPIO_LINE_NOT_FOUND') return 'PANEL_LINE_MISSING';
  return 'PANEL_ERROR';
}

/** Opens the panel, which claims every button and LED line, and closes it again. */
export async function checkPanel(ctx: DoctorContext): Promise<CheckResult> {
  const panel = ctx.panel;
  if (!panel) throw new Error('checkPanel needs ctx.panel');
  try {
    await panel.open();
    return verdict(CHECK, 'PANEL_OK', `${Object.keys(panel.leds()).length} LEDs`);
  } catch (err) {
    return verdict(CHECK, fromError(err), describeError(err));
  } finally {
    await panel.close().catch(() => undefined);
  }
}
