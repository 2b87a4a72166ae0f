import { referencedFileProblems } from '../config/files.ts';
import { ConfigError, loadConfig } from '../config/load.ts';

/** `ektp-agent config check FILE`: every problem in the file, exit 0 when it is valid. */
export async function main(argv: string[]): Promise<number> {
  const [sub, file] = argv;
  if (sub !== 'check' || !file) {
    console.error('usage: ektp-agent config check FILE');
    return 2;
  }
  try {
    const files = referencedFileProblems(loadConfig(file));
    if (files.length > 0) throw new ConfigError(file, files);
    console.log(`${file}: valid`);
    return 0;
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `${file}: ${(err as Error).message}`);
    return 1;
  }
}
