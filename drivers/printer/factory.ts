import { Type } from '@sinclair/typebox';
import { checkDriverConfig, driverConfigProblems, taggedUnion, type DriverConfig } from '../configSchema.ts';
import type { Logger } from '../logger.ts';
import { PrinterError, type Printer } from './types.ts';
import type { CodePage } from './escpos.ts';

const int = (min: number, max: number, errorMessage: string) => Type.Integer({ minimum: min, maximum: max, errorMessage });
const COLUMNS = Type.Union([Type.Literal(32), Type.Literal(48)], { errorMessage: 'must be 32 (58 mm) or 48 (80 mm)' });
const CODE_PAGES = ['PC437_USA', 'PC850_MULTILINGUAL', 'PC858_EURO'] as const satisfies readonly CodePage[];

const TRANSPORT = taggedUnion(
  'type',
  [
    Type.Object(
      {
        type: Type.Literal('tcp'),
        host: Type.String({ minLength: 1, errorMessage: 'must be a host name' }),
        port: int(0, 65535, 'must be a TCP port (9100 for most printers)'),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('usb'), device: Type.String({ pattern: '^/dev/', errorMessage: 'must be a device path such as /dev/usb/lp0' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('serial'),
        path: Type.String({ minLength: 1, errorMessage: 'must be a serial device path' }),
        baudRate: int(1200, 921600, 'must be a baud rate such as 9600 or 115200'),
      },
      { additionalProperties: false },
    ),
  ],
  'must be an object with type tcp, usb or serial',
);

/** The printer's config, declared once per driver; the types below derive from it. */
export const PRINTER_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim'), columns: COLUMNS }, { additionalProperties: false }),
  escpos: Type.Object(
    {
      driver: Type.Literal('escpos'),
      transport: TRANSPORT,
      columns: COLUMNS,
      codePage: Type.Optional(Type.Union(CODE_PAGES.map((c) => Type.Literal(c)), { errorMessage: `one of ${CODE_PAGES.join(', ')}` })),
      statusTimeoutMs: Type.Optional(int(50, 30000, '50-30000')),
      settleMs: Type.Optional(int(0, 30000, '0-30000')),
      qrCellSize: Type.Optional(int(1, 8, '1-8')),
    },
    { additionalProperties: false },
  ),
};

export type PrinterConfig = DriverConfig<typeof PRINTER_DRIVERS>;
export type PrinterTransportConfig = Extract<PrinterConfig, { driver: 'escpos' }>['transport'];

/** Every problem with a printer config as "path: message" (empty = valid). */
export function validatePrinterConfig(raw: unknown, path = 'printer'): string[] {
  return driverConfigProblems(PRINTER_DRIVERS, raw, path);
}

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

/** The validated config, or a PRINTER_CONFIG error listing every problem. */
export function parsePrinterConfig(config: unknown): PrinterConfig {
  const checked = checkDriverConfig(PRINTER_DRIVERS, config, 'printer');
  if (checked.config) return checked.config;
  const errors = checked.problems;
  throw new PrinterError('PRINTER_CONFIG', `invalid printer configuration: ${errors.join('; ')}`, { detail: { errors } });
}
