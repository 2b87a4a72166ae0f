#!/usr/bin/env node
// Entry point of the `ektp-agent` command. On the appliance it runs the compiled JavaScript in
// dist/ (scripts/install builds it; no TypeScript at run time). In a source checkout, where
// agent/cli.ts sits beside this folder, it runs the sources through tsx, a development dependency,
// so a stale dist/ is never picked up by accident.
import { existsSync } from 'node:fs';

// Ledgers, reports, berita acara and keys hold personal data or secrets: 0600 files, 0700 directories.
process.umask(0o077);
const source = new URL('../agent/cli.ts', import.meta.url);
let run;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ run } = await import(source.href));
} else {
  process.setSourceMapsEnabled(true);
  ({ run } = await import('../dist/agent/cli.js'));
}
process.exitCode = await run(process.argv.slice(2));
