/**
 * Renders every slip kind at 58 mm (32 columns) and 80 mm (48 columns) to PNG, through the real
 * ESC/POS driver into the printer emulator, so the pictures show the bytes a printer would get.
 *
 *   npm run slips -- --out DIR
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  beritaAcaraSlip,
  dailyReportSlip,
  dataCheckSlip,
  queueTicket,
  receiptSlip,
  reprintBanner,
  resultSlip,
} from '../agent/slips/index.ts';
import { SAMPLES } from '../agent/slips/samples.ts';
import { silentLogger } from '../drivers/logger.ts';
import { startPrinterEmulator } from '../test/harness/printerEmulator/index.ts';
import { EscPosPrinter } from '../drivers/printer/escpos.ts';
import { TcpTransport } from '../drivers/printer/transport.ts';
import type { SlipDocument } from '../drivers/printer/types.ts';

const KINDS: ReadonlyArray<[string, (columns: 32 | 48) => SlipDocument]> = [
  ['queue-ticket', (c) => queueTicket(SAMPLES.queueTicket, c)],
  ['data-check', (c) => dataCheckSlip(SAMPLES.dataCheck, c)],
  ['result-berhasil', (c) => resultSlip(SAMPLES.resultBerhasil, c)],
  ['result-gagal', (c) => resultSlip(SAMPLES.resultGagal, c)],
  ['result-disputed', (c) => resultSlip(SAMPLES.resultDisputed, c)],
  ['result-mismatch', (c) => resultSlip(SAMPLES.resultMismatch, c)],
  ['result-rusak', (c) => resultSlip(SAMPLES.resultRusak, c)],
  ['receipt', (c) => receiptSlip(SAMPLES.receipt, c)],
  ['receipt-staff', (c) => receiptSlip({ ...SAMPLES.receipt, copy: 'petugas' }, c)],
  ['receipt-reprint', (c) => reprintBanner(receiptSlip({ ...SAMPLES.receipt, copy: 'petugas' }, c))],
  ['berita-acara', (c) => beritaAcaraSlip(SAMPLES.beritaAcara, c)],
  ['daily-report', (c) => dailyReportSlip(SAMPLES.dailyReport, c)],
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'out/slips' } } });
  const out = resolve(values.out ?? 'out/slips');
  await mkdir(out, { recursive: true });
  for (const columns of [32, 48] as const) {
    const emulator = await startPrinterEmulator({ columns });
    const printer = new EscPosPrinter({
      transport: new TcpTransport({ host: emulator.host, port: emulator.port }),
      columns,
      settleMs: 0,
      logger: silentLogger,
    });
    try {
      await printer.open();
      for (const [, make] of KINDS) await printer.print(make(columns));
      const docs = emulator.documents();
      if (docs.length !== KINDS.length) throw new Error(`emulator saw ${docs.length} slips, expected ${KINDS.length}`);
      if (emulator.unknownCommands().length > 0) throw new Error(`unknown ESC/POS: ${emulator.unknownCommands().join(', ')}`);
      for (const [i, [name]] of KINDS.entries()) {
        const path = join(out, `${name}-${columns}.png`);
        await emulator.renderPng(docs[i], path);
        console.log(path);
      }
    } finally {
      await printer.close();
      await emulator.close();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
