import { ConfigError, loadConfig } from '../config/load.ts';

/** `ektp-agent config check FILE`: every problem in the file, exit 0 when it is valid. */
export async function main(argv: string[]): Promise<number> {
  const [sub, file] = argv;
  if (sub !== 'check' || !file) {
    console.error('usage: ektp-agent config check FILE');
    return 2;
  }
  try {
    loadConfig(file);
    console.log(`${file}: valid`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
