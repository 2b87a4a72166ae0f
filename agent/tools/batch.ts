import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BATCH_RULES, Batches, type BatchKind } from '../ledger/batches.ts';
import { beritaAcaraHtml } from '../reports/beritaAcaraHtml.ts';
import { openLedger, tool } from './openLedger.ts';

const USAGE = `usage:
  ektp-agent batch create KIND [--config FILE]    KIND: ${Object.keys(BATCH_RULES).join(', ')}
  ektp-agent batch sign NUMBER [--config FILE]
  ektp-agent batch list [--config FILE]
  ektp-agent batch html NUMBER --out FILE [--config FILE]
  ektp-agent batch lend LETTER_NO --until YYYY-MM-DD [--config FILE]
  ektp-agent batch return-loan LETTER_NO [--config FILE]`;

/** Batches after the counter; the parties come from `officials` in the config. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, out: { type: 'string' }, until: { type: 'string' } },
    allowPositionals: true,
  });
  const [sub, arg] = positionals;
  if (!sub) {
    console.error(USAGE);
    return 2;
  }
  return tool(() => {
    const { config, ledger, close } = openLedger(values.config, sub === 'list' || sub === 'html' ? 'read' : 'write');
    const batches = new Batches(ledger, { numberFormat: config.beritaAcara.numberFormat });
    const byNumber = (n: string | undefined) => {
      const b = batches.list().find((x) => x.number === n);
      if (!b) throw new Error(`no batch numbered ${n}`);
      return b;
    };
    try {
      switch (sub) {
        case 'create': {
          if (!arg || !(arg in BATCH_RULES)) throw new Error(`unknown batch kind "${arg}"\n${USAGE}`);
          const b = batches.create(arg as BatchKind, { pihakPertama: config.officials.counterOfficer, pihakKedua: config.officials.dinasOfficer });
          console.log(b ? `created ${b.number} with ${b.lines.length} item(s); sign it after both parties signed the paper` : 'nothing to put in such a batch');
          return 0;
        }
        case 'sign': {
          const b = batches.sign(byNumber(arg).id);
          console.log(`signed ${b.number}: ${b.lines.length} item(s), digest ${b.digest}`);
          return 0;
        }
        case 'list':
          for (const b of batches.list()) console.log(`${b.number}\t${b.kind}\t${b.lines.length}\t${b.signedAt ?? 'draft'}`);
          return 0;
        case 'html': {
          if (!values.out) throw new Error('--out FILE is required');
          writeFileSync(values.out, beritaAcaraHtml(byNumber(arg), config, ledger.chainHead()));
          console.log(`wrote ${values.out}`);
          return 0;
        }
        case 'lend':
          if (!arg || !values.until) throw new Error(USAGE);
          console.log(`loan ${batches.lend(arg, values.until)} recorded`);
          return 0;
        case 'return-loan':
          if (!arg) throw new Error(USAGE);
          batches.returnLoan(arg);
          console.log('loan returned');
          return 0;
        default:
          console.error(USAGE);
          return 2;
      }
    } finally {
      close();
    }
  });
}
