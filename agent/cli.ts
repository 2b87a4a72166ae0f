/**
 * `ektp-agent <command>`: the agent and its tools on the box. Each command lives in its own
 * module and is imported only when called, so `doctor` does not load the matcher and `monitor`
 * does not open the ledger.
 */
import { exitCodeFor } from './tools/exitCodes.ts';

const USAGE = `usage: ektp-agent <command> [options]

  run [--config FILE] [--roster FILE]   run the counter (default command)
  init [--config FILE]                  first run: data directory, ledger chain key, empty sealed ledger
  config check FILE [--offline]         validate a config file and the files it names, list every problem
  import-roster --config FILE FILE      import a signed delivery roster into the ledger (or --dir DIR)
  delivery receive --batch B --cards F  serah terima of the delivered cards against the roster (berita acara)
  verify-ledger --db FILE --config FILE check the ledger's sealed audit chain and custody records
  report daily [--date D] [--out DIR]   the daily report as JSON and CSV (Bahasa Indonesia labels)
  report office --box ID=FILE … --authority ID   office reconciliation across the desk and the counters
  office leases | office release --ticket N --confirm-retrieved   (intake desk) tickets held by counters; release one from a dead counter
  close-day --counted N [--documents returned|kept] [--out DIR]   end of the service day
  batch create|sign|list|html|lend|return-loan   batches after the counter (berita acara)
  retention purge [--dry-run] | retention ropa [--out FILE]   personal-data retention (UU 27/2022)
  doctor [--config FILE] [--json]       check every device, the broker, clock, disk and ledger
  monitor --broker URL [--json]         fleet monitor: live table of all counters
  hall clips [--config FILE] [--out DIR]  render the hall display's spoken-call clips (espeak-ng)
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./main.ts')).main,
  init: async () => (await import('./tools/init.ts')).main,
  config: async () => (await import('./tools/configCheck.ts')).main,
  'import-roster': async () => (await import('./tools/importRoster.ts')).main,
  delivery: async () => (await import('./tools/delivery.ts')).main,
  'verify-ledger': async () => (await import('./tools/verifyLedger.ts')).main,
  report: async () => (await import('./tools/report.ts')).main,
  'close-day': async () => (await import('./tools/closeDay.ts')).main,
  office: async () => (await import('./tools/office.ts')).main,
  batch: async () => (await import('./tools/batch.ts')).main,
  retention: async () => (await import('./tools/retention.ts')).main,
  doctor: async () => (await import('./doctor/cli.ts')).main,
  monitor: async () => (await import('./monitor/cli.ts')).main,
  hall: async () => (await import('./tools/hall.ts')).main,
};

export async function run(argv: string[]): Promise<number> {
  const [name = 'run', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  const load = COMMANDS[name.startsWith('-') ? 'run' : name];
  if (!load) {
    console.error(`unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    const command = await load();
    return await command(name.startsWith('-') ? argv : rest);
  } catch (err) {
    // The last net: one line with the code, never a stack trace at the counter's terminal.
    const code = (err as { code?: unknown }).code;
    const coded = typeof code === 'string' ? code : null;
    console.error(`ektp-agent ${name}: ${(err as Error).message ?? String(err)}${coded ? ` (${coded})` : ''}`);
    return exitCodeFor(coded);
  }
}
