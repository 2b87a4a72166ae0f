import t from 'tap';
import { silentLogger } from '../../../drivers/logger.ts';
import { EscPosPrinter } from '../../../drivers/printer/escpos.ts';
import { createPrinter } from '../../../drivers/printer/factory.ts';
import { SimPrinter } from '../../../drivers/printer/sim.ts';

t.test('createPrinter', async (t) => {
  t.test('builds the simulator only when asked for it', async (t) => {
    const p = await createPrinter({ driver: 'sim', columns: 48 }, silentLogger);
    t.type(p, SimPrinter);
    t.equal(p.columns, 48);
  });
  t.test('builds the ESC/POS driver for each transport', async (t) => {
    for (const transport of [
      { type: 'tcp', host: '192.0.2.10', port: 9100 },
      { type: 'usb', device: '/dev/usb/lp0' },
      { type: 'serial', path: '/dev/ttyUSB0', baudRate: 19200 },
    ]) {
      t.type(await createPrinter({ driver: 'escpos', transport, columns: 32 }, silentLogger), EscPosPrinter);
    }
  });
  t.test('rejects an unknown driver instead of falling back to the simulator', async (t) => {
    await t.rejects(createPrinter({ driver: 'laser', columns: 32 }, silentLogger), { code: 'PRINTER_CONFIG' });
  });
  t.test('lists every problem of a bad ESC/POS config at once', async (t) => {
    const err = await createPrinter({ driver: 'escpos', columns: 40, transport: { type: 'tcp', host: '', port: 99999 } }, silentLogger).catch(
      (e: unknown) => e,
    );
    t.match(err, { code: 'PRINTER_CONFIG', detail: { errors: [/columns/, /host/, /port/] } });
  });
  t.test('rejects an unknown transport type', async (t) => {
    await t.rejects(createPrinter({ driver: 'escpos', columns: 32, transport: { type: 'bluetooth' } }, silentLogger), {
      code: 'PRINTER_CONFIG',
      message: /transport.type/,
    });
  });
});
