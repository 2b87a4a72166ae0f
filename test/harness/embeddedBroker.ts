import { createServer, type Server } from 'node:net';
import type { Logger } from '../../drivers/logger.ts';

/**
 * An in-process MQTT broker for the demo and for a newcomer's laptop, so the counter's messages
 * can be watched (`mosquitto_sub -p 1883 -t 'ektp/#' -v` or `ektp-agent monitor`) without
 * installing anything. aedes speaks MQTT 3.1.1 only: point the publisher at it with
 * `protocolVersion: 4`. Not for production: no TLS, no auth, no persistence; a real site uses
 * mosquitto or a cluster (README.md).
 */
export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(
  opts: { port?: number; host?: string; logger?: Logger } = {},
): Promise<EmbeddedBroker> {
  // Imported lazily: only the demo pays for loading the broker.
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer(broker.handle);
  broker.on('clientError', (client, err) => opts.logger?.debug({ clientId: client.id, err: { message: err.message } }, 'embedded broker client error'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 1883, host, () => resolve());
    });
  } catch (err) {
    // aedes runs a heartbeat timer; an unclosed broker would keep the process alive.
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw err;
  }
  const { port } = server.address() as { port: number };
  opts.logger?.info({ host, port }, 'embedded MQTT broker (MQTT 3.1.1, demo only) listening');
  return {
    url: `mqtt://${host}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
