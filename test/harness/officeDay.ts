import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { officeReport, type OfficeReport } from '../../agent/office/report.ts';
import { startMosquitto } from '../helpers/mosquitto.ts';
import { DESK, openSimOffice } from './office.ts';

/**
 * A scripted office day: a private mosquitto (MQTT 5, which the office queue needs), the intake
 * desk and `counters` counters in this process. Every resident is taken in at the desk, the
 * counters call and serve from the one queue at the same time, then the office reconciliation
 * joins their ledgers. Ledgers and log go to `out`.
 */
export async function runOfficeDay(opts: { residents: number; seed: number; counters: number; out: string; progress?: (l: string) => void }): Promise<{ served: Record<string, number>; report: OfficeReport }> {
  const log = opts.progress ?? (() => undefined);
  const broker = await startMosquitto();
  const logger = pino({ level: 'info' }, pino.destination({ dest: join(opts.out, 'agent.log'), sync: true }));
  const office = await openSimOffice({ residents: opts.residents, seed: opts.seed, counters: opts.counters, dir: opts.out, brokerUrl: broker.url, logger });
  try {
    const deadline = Date.now() + 30_000;
    while (!office.counters.every((c) => c.counter.office!.connected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const issued = await office.intakeAll(office.counters[0].played.map((p) => p.resident.letterNo));
    log(`intake desk: ${issued} queue tickets issued`);
    const results = await Promise.all(office.counters.map((c, i) => office.serveUntilEmpty(i, (l) => log(`${c.config.counter.id}: ${l}`))));
    const served = Object.fromEntries(office.counters.map((c, i) => [c.config.counter.id, results[i].served]));
    log(`served per counter: ${JSON.stringify(served)}`);
    // Let the last closes reach the desk before reading the ledgers.
    const end = Date.now() + 20_000;
    while (Date.now() < end && office.counters.some((c) => c.counter.office!.journalDepth() > 0)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const ledgers = office.ledgers();
    const report = (() => {
      try {
        return officeReport(ledgers.boxes, DESK);
      } finally {
        ledgers.close();
      }
    })();
    writeFileSync(join(opts.out, 'office-report.json'), JSON.stringify({ served, ...report }, null, 2) + '\n');
    return { served, report };
  } finally {
    await office.close();
    await broker.stop();
  }
}
