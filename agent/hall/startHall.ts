import type { Logger } from '../../drivers/logger.ts';
import type { Config } from '../config/types.ts';
import { hallClipsDir, hallPageConfig } from './config.ts';
import { HallServer } from './server.ts';

/** Starts the hall display from the agent config (main.ts calls this when `hall.enabled`). */
export async function startHall(config: Config, logger: Logger): Promise<HallServer> {
  const server = new HallServer({
    page: hallPageConfig(config),
    clipsDir: hallClipsDir(config),
    port: config.hall.port,
    bind: config.hall.bind,
    logger,
  });
  await server.start();
  return server;
}
