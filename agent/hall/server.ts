import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Logger } from '../../drivers/logger.ts';
import { missingClips, readClip } from './clips.ts';
import { HallError } from './errors.ts';
import type { HallPageConfig } from './config.ts';
import { HALL_CSS, INDEX_HTML } from './page/assets.ts';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');

/**
 * The hall display's web server: plain node:http. It serves five kinds of thing (page, script,
 * style, config, clips) to one or two screens; a framework would add a dependency and a routing
 * layer for a switch statement. Everything comes from the box: the page, mqtt.js's browser bundle
 * from node_modules, the clips rendered at install. A TV on an office LAN without internet works.
 */
export interface HallServerOptions {
  readonly page: HallPageConfig;
  readonly clipsDir: string;
  readonly port: number;
  readonly bind: string;
  readonly logger: Logger;
}

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * The page script, bundled once per process: from the TypeScript source in a checkout (tsx), from
 * the compiled JavaScript on the appliance (dist/). esbuild is a runtime dependency for this.
 */
async function bundlePage(): Promise<Buffer> {
  const source = join(PAGE_DIR, 'hall.ts');
  const out = await build({
    entryPoints: [existsSync(source) ? source : join(PAGE_DIR, 'hall.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    // The page imports 'mqtt'; the browser loads mqtt.js's own browser bundle, served below.
    plugins: [{ name: 'mqtt-from-box', setup: (b) => b.onResolve({ filter: /^mqtt$/ }, () => ({ path: '/vendor/mqtt.esm.js', external: true })) }],
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(out.outputFiles[0].contents);
}

function mqttBrowserBundle(): Buffer {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('mqtt/package.json')), 'dist', 'mqtt.esm.js'));
}

const SECURITY_HEADERS = {
  // Only the box itself, plus the broker's WebSocket (its host may differ from the page's).
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; media-src 'self' blob:; style-src 'self'; script-src 'self'; worker-src 'self' blob:",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export class HallServer {
  private server: Server | null = null;
  private assets = new Map<string, Asset>();

  constructor(private readonly opts: HallServerOptions) {}

  /** Builds the assets, checks the clips, listens; resolves with the address a browser opens. */
  async start(): Promise<{ url: string; port: number }> {
    if (this.opts.page.sound) {
      const missing = missingClips(this.opts.clipsDir);
      if (missing.length > 0) {
        throw new HallError('HALL_CLIPS_MISSING', `hall display: ${missing.length} spoken-call clip(s) missing in ${this.opts.clipsDir}; run \`ektp-agent hall clips\``, {
          detail: { clipsDir: this.opts.clipsDir, missing: missing.slice(0, 5) },
        });
      }
    }
    this.assets.set('/', { type: 'text/html; charset=utf-8', body: Buffer.from(INDEX_HTML) });
    this.assets.set('/hall.css', { type: 'text/css; charset=utf-8', body: Buffer.from(HALL_CSS) });
    this.assets.set('/hall.js', { type: 'text/javascript; charset=utf-8', body: await bundlePage() });
    this.assets.set('/vendor/mqtt.esm.js', { type: 'text/javascript; charset=utf-8', body: mqttBrowserBundle() });
    this.assets.set('/config.json', { type: 'application/json', body: Buffer.from(JSON.stringify(this.opts.page)) });

    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new HallError('HALL_LISTEN_FAILED', `hall display cannot listen on ${this.opts.bind}:${this.opts.port}: ${err.message}`, { cause: err })));
      server.listen(this.opts.port, this.opts.bind, () => resolve());
    });
    this.server = server;
    const port = (server.address() as { port: number }).port;
    const host = this.opts.bind === '0.0.0.0' || this.opts.bind === '::' ? '127.0.0.1' : this.opts.bind;
    this.opts.logger.info({ port, bind: this.opts.bind }, 'hall display serving');
    return { url: `http://${host}:${port}/`, port };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://hall').pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    let asset = this.assets.get(path) ?? null;
    const clip = /^\/clips\/([a-z0-9-]{1,40})\.wav$/.exec(path);
    if (!asset && clip) {
      const body = readClip(this.opts.clipsDir, clip[1]);
      asset = body ? { type: 'audio/wav', body } : null;
    }
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('tidak ditemukan\n');
      return;
    }
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      // The page and config change with a restart of the agent; clips only with a new install.
      'cache-control': clip ? 'max-age=86400' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
