import { parseArgs } from 'node:util';
import { isDeviceError } from '../../drivers/deviceError.ts';
import { loadConfig } from '../config/load.ts';
import { renderClips } from '../hall/clips.ts';
import { hallClipsDir } from '../hall/config.ts';

const USAGE = 'usage: ektp-agent hall clips [--config FILE] [--out DIR]';

/**
 * `ektp-agent hall clips`: renders the spoken-call clips with espeak-ng (the installer runs it;
 * run it again after changing the voice). Offline: nothing leaves the box.
 */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'clips' || positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const dir = values.out ?? hallClipsDir(loadConfig(values.config));
  try {
    const m = await renderClips(dir);
    console.log(`rendered ${m.clips.length} clips into ${dir} (${m.engine})`);
    return 0;
  } catch (err) {
    console.error(`clips not rendered: ${(err as Error).message}${isDeviceError(err) ? ` (${err.code})` : ''}`);
    return 1;
  }
}
