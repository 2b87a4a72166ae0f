#!/usr/bin/env node
// Entry point of the `ektp-agent` command. The agent ships as TypeScript and runs through tsx
// (a runtime dependency), so there is no build step on the box and stack traces name the
// source lines.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../agent/cli.ts');
process.exitCode = await run(process.argv.slice(2));
