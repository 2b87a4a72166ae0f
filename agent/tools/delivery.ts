import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderText } from '../../drivers/printer/layout.ts';
import { parseCardUids, recordDelivery } from '../ledger/cardDelivery.ts';
import { serahTerimaKartuSlip } from '../slips/serahTerimaKartu.ts';
import { slipSite } from '../transaction/slipBuilder.ts';
import { openLedger, tool } from './openLedger.ts';

const USAGE = `usage: ektp-agent delivery receive --batch BATCH --cards FILE [--courier NAME --courier-position POS] [--config FILE]

  FILE: the chip UIDs of the cards in the Dinas's box, one per line (as scanned, e.g. with pcsc_scan
  or a reader in keyboard mode); '#' starts a comment.`;

/**
 * \`ektp-agent delivery receive\`: the serah terima of a card delivery. Compares the cards in the
 * box with the roster of the batch, takes cards missing from the box out of the stock
 * (not_delivered), lists extra ones, records it, and prints the berita acara to sign (two copies).
 * Exit status 1 when the box does not match the roster.
 */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      batch: { type: 'string' },
      cards: { type: 'string' },
      courier: { type: 'string' },
      'courier-position': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals[0] !== 'receive' || positionals.length !== 1 || !values.batch || !values.cards || (values.courier === undefined) !== (values['courier-position'] === undefined)) {
    console.error(USAGE);
    return 2;
  }
  return tool(() => {
    const { config, ledger, close } = openLedger(values.config, 'write');
    try {
      const courier = values.courier ? { name: values.courier, position: values['courier-position']! } : config.officials.dinasOfficer;
      const d = recordDelivery(ledger, {
        batchId: values.batch!,
        cardUids: parseCardUids(readFileSync(values.cards!, 'utf8')),
        courier,
        receiver: config.officials.counterOfficer,
      });
      const slip = serahTerimaKartuSlip(
        { ...d, at: d.receivedAt, site: slipSite(config), pihakPertama: d.courier, pihakKedua: d.receiver },
        config.devices.printer.columns,
      );
      for (const line of renderText(slip, config.devices.printer.columns)) console.log(line);
      const ok = d.missing.length === 0 && d.extra.length === 0;
      console.error(`${d.number}: ${d.received} of ${d.rosterEntries} cards received; ${d.missing.length} missing, ${d.extra.length} extra`);
      return ok ? 0 : 1;
    } finally {
      close();
    }
  });
}
