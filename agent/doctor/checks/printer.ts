import { isDeviceError } from '../../../drivers/deviceError.ts';
import type { PrinterStatus } from '../../../drivers/printer/types.ts';
import { describeError, verdict, type DoctorCode } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'printer';

/** The operator can fix one thing at a time; name the one that stops printing first. */
function fromStatus(s: PrinterStatus): DoctorCode {
  // Epson-style printers also go offline when the paper runs out, so paper is asked first.
  if (s.paper === 'out') return 'PRINTER_PAPER_OUT';
  if (s.coverOpen) return 'PRINTER_COVER_OPEN';
  if (s.cutterError) return 'PRINTER_CUTTER_ERROR';
  if (!s.online) return 'PRINTER_OFFLINE';
  if (s.paper === 'near_end') return 'PRINTER_PAPER_LOW';
  return 'PRINTER_OK';
}

function fromError(err: unknown): DoctorCode {
  if (!isDeviceError(err)) return 'PRINTER_ERROR';
  switch (err.code) {
    case 'PRINTER_ABSENT':
      return 'PRINTER_ABSENT';
    case 'PRINTER_TIMEOUT':
      return 'PRINTER_NO_RESPONSE';
    case 'PRINTER_OFFLINE':
      return 'PRINTER_OFFLINE';
    case 'PAPER_OUT':
      return 'PRINTER_PAPER_OUT';
    case 'COVER_OPEN':
      return 'PRINTER_COVER_OPEN';
    case 'CUTTER_ERROR':
      return 'PRINTER_CUTTER_ERROR';
    default:
      return 'PRINTER_ERROR';
  }
}

/** Opens the printer and reads its real-time status; prints nothing. */
export async function checkPrinter(ctx: DoctorContext): Promise<CheckResult> {
  const printer = ctx.printer;
  if (!printer) throw new Error('checkPrinter needs ctx.printer');
  try {
    await printer.open();
    const s = await printer.status({ timeoutMs: 2000 });
    const detail = `online=${s.online} paper=${s.paper} coverOpen=${s.coverOpen} cutterError=${s.cutterError} columns=${printer.columns}`;
    return verdict(CHECK, fromStatus(s), detail);
  } catch (err) {
    return verdict(CHECK, fromError(err), describeError(err));
  } finally {
    await printer.close().catch(() => undefined);
  }
}
