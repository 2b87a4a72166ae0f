import { parseArgs } from 'node:util';
import { referencedFileProblems } from '../config/files.ts';
import { ConfigError, loadConfig } from '../config/load.ts';

const USAGE = 'usage: ektp-agent config check FILE [--offline]';

/**
 * `ektp-agent config check FILE`: every problem in the file, exit 0 when it is valid. On the box
 * it also reads every file the config names (roster keys, TLS files, the SAM module), so a typo'd
 * path is one line here instead of a service that restarts forever. `--offline` skips that, for
 * checking a box's config on a workstation that does not have those files.
 */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { offline: { type: 'boolean', default: false } }, allowPositionals: true });
  const [sub, file] = positionals;
  if (sub !== 'check' || !file) {
    console.error(USAGE);
    return 2;
  }
  try {
    const config = loadConfig(file);
    const files = values.offline ? [] : referencedFileProblems(config);
    if (files.length > 0) throw new ConfigError(file, files);
    console.log(`${file}: valid${values.offline ? ' (referenced files not read: --offline)' : ''}`);
    return 0;
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `${file}: ${(err as Error).message}`);
    return 1;
  }
}
