import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isCodedError } from '../../drivers/deviceError.ts';
import { acceptRosterBytes, readRosterFile } from '../roster/acceptRoster.ts';
import { loadTrustedKeys } from '../roster/signedRoster.ts';
import { openLedger, tool } from './openLedger.ts';

const USAGE = 'usage: ektp-agent import-roster [--config FILE] ROSTER.json | --dir DIR';

/** Files on a roster stick: `*.json` at the top level only (no walking a stranger's stick). */
function rosterFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.json') && !f.startsWith('.'))
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/**
 * `ektp-agent import-roster [--config FILE] ROSTER` or `--dir DIR` (the USB stick import,
 * systemd/ektp-roster-usb-import): each file is size-capped, its signature verified, its site checked
 * against this box's, then imported atomically. With --dir a roster already imported is skipped,
 * so re-plugging the same stick is harmless; any refused file makes the exit status 1.
 */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, dir: { type: 'string' } },
    allowPositionals: true,
  });
  if ((values.dir === undefined) === (positionals.length !== 1) || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  // The ledger must exist (made by `ektp-agent init`); opening it is a coded refusal, not a stack.
  return tool(() => {
    const { config, ledger, close } = openLedger(values.config, 'write');
    const files = values.dir !== undefined ? rosterFilesIn(values.dir) : positionals;
    if (files.length === 0) {
      close();
      console.error(`no roster (*.json) in ${values.dir}`);
      return 1;
    }
    let refused = 0;
    try {
      const trusted = loadTrustedKeys(config.roster.trustedKeys);
      for (const file of files) {
        try {
          const verified = acceptRosterBytes(readRosterFile(file), { siteId: config.site.id, trusted });
          const n = ledger.importRoster(verified);
          console.log(`${file}: imported ${n} entries of batch ${verified.payload.batchId}`);
        } catch (err) {
          const code = isCodedError(err) ? err.code : null;
          if (values.dir !== undefined && code === 'ROSTER_ALREADY_IMPORTED') {
            console.log(`${file}: already imported, skipped`);
            continue;
          }
          // A full disk or a read-only ledger stops the whole import with its own code.
          if (code === 'DISK_FULL' || (err as Error).name === 'SqliteError') throw err;
          refused += 1;
          console.error(`${file}: roster not imported: ${(err as Error).message}${code ? ` (${code})` : ''}`);
        }
      }
      return refused === 0 ? 0 : 1;
    } finally {
      close();
    }
  });
}
