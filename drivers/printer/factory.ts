import type { Logger } from '../logger.ts';
import { PrinterError, type Printer } from './types.ts';
import type { CodePage } from './escpos.ts';

export type PrinterTransportConfig =
  | { readonly type: 'tcp'; readonly host: string; readonly port: number }
  | { readonly type: 'usb'; readonly device: string }
  | { readonly type: 'serial'; readonly path: string; readonly baudRate: number };

export type PrinterConfig =
  | { readonly driver: 'sim'; readonly columns: 32 | 48 }
  | {
      readonly driver: 'escpos';
      readonly transport: PrinterTransportConfig;
      readonly columns: 32 | 48;
      readonly codePage?: CodePage;
      readonly statusTimeoutMs?: number;
      readonly settleMs?: number;
      readonly qrCellSize?: number;
    };

const CODE_PAGES: readonly CodePage[] = ['PC437_USA', 'PC850_MULTILINGUAL', 'PC858_EURO'];

/**
 * Builds the configured printer; only the chosen implementation is imported. Anything it does not
 * recognise is a PRINTER_CONFIG error listing every problem: never a silent fall back to the
 * simulator, which would "print" receipts nobody gets.
 */
export async function createPrinter(config: unknown, logger: Logger): Promise<Printer> {
  const cfg = parsePrinterConfig(config);
  if (cfg.driver === 'sim') {
    const { SimPrinter } = await import('./sim.ts');
    return new SimPrinter({ columns: cfg.columns });
  }
  const [{ EscPosPrinter }, transports] = await Promise.all([import('./escpos.ts'), import('./transport.ts')]);
  const t = cfg.transport;
  const transport =
    t.type === 'tcp'
      ? new transports.TcpTransport({ host: t.host, port: t.port })
      : t.type === 'usb'
        ? new transports.UsbLpTransport({ device: t.device })
        : new transports.SerialTransport({ path: t.path, baudRate: t.baudRate });
  return new EscPosPrinter({ ...cfg, transport, logger });
}

export function parsePrinterConfig(config: unknown): PrinterConfig {
  const errors: string[] = [];
  const c = isObject(config) ? config : {};
  if (!isObject(config)) errors.push('printer: must be an object');
  if (c.columns !== 32 && c.columns !== 48) errors.push('printer.columns: must be 32 (58 mm) or 48 (80 mm)');
  if (c.driver === 'sim') {
    if (errors.length === 0) return { driver: 'sim', columns: c.columns as 32 | 48 };
  } else if (c.driver === 'escpos') {
    const t = isObject(c.transport) ? c.transport : null;
    if (!t) errors.push('printer.transport: must be an object with type tcp, usb or serial');
    else if (t.type === 'tcp') {
      if (typeof t.host !== 'string' || t.host === '') errors.push('printer.transport.host: must be a host name');
      if (!isInt(t.port, 0, 65535)) errors.push('printer.transport.port: must be a TCP port (9100 for most printers)');
    } else if (t.type === 'usb') {
      if (typeof t.device !== 'string' || !t.device.startsWith('/dev/')) errors.push('printer.transport.device: must be a device path such as /dev/usb/lp0');
    } else if (t.type === 'serial') {
      if (typeof t.path !== 'string' || t.path === '') errors.push('printer.transport.path: must be a serial device path');
      if (!isInt(t.baudRate, 1200, 921600)) errors.push('printer.transport.baudRate: must be a baud rate such as 9600 or 115200');
    } else errors.push(`printer.transport.type: unknown "${String(t.type)}" (tcp, usb or serial)`);
    if (c.codePage !== undefined && !CODE_PAGES.includes(c.codePage as CodePage)) errors.push(`printer.codePage: one of ${CODE_PAGES.join(', ')}`);
    if (c.statusTimeoutMs !== undefined && !isInt(c.statusTimeoutMs, 50, 30000)) errors.push('printer.statusTimeoutMs: 50-30000');
    if (c.settleMs !== undefined && !isInt(c.settleMs, 0, 30000)) errors.push('printer.settleMs: 0-30000');
    if (c.qrCellSize !== undefined && !isInt(c.qrCellSize, 1, 8)) errors.push('printer.qrCellSize: 1-8');
    if (errors.length === 0) return c as unknown as PrinterConfig;
  } else {
    errors.push(`printer.driver: unknown "${String(c.driver)}" (sim or escpos)`);
  }
  throw new PrinterError('PRINTER_CONFIG', `invalid printer configuration: ${errors.join('; ')}`, { detail: { errors } });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
