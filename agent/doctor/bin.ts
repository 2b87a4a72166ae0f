import { main } from './cli.ts';

// Entry for `ektp-agent doctor` (scripts/install's /usr/local/bin/ektp-agent wrapper runs it).
// exitCode, not exit(): stdout is flushed before node ends.
process.exitCode = await main(process.argv.slice(2));
