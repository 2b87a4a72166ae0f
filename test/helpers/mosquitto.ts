import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real mosquitto on loopback for tests and benchmarks. Each instance gets free ports and a temp
 * dir (config, log, optional TLS material made with openssl at run time: no private key is ever
 * committed). `restart()` keeps the ports, so clients see an outage and a return, like a real broker.
 */
export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  readonly tlsPort: number | null;
  readonly tlsUrl: string | null;
  /** MQTT over WebSockets (only with `websockets: true`), as a browser connects: ws://127.0.0.1:PORT. */
  readonly wsPort: number | null;
  readonly wsUrl: string | null;
  /** Test CA and a client cert/key signed by it (only with `tls: true`). */
  readonly tls: { caFile: string; certFile: string; keyFile: string } | null;
  readonly dir: string;
  /** Broker process id (for RSS/CPU figures in benchmarks). */
  pid(): number | undefined;
  stop(): Promise<void>;
  /** Kills the broker (SIGTERM), waits `downMs`, starts it again on the same ports. */
  restart(downMs?: number): Promise<void>;
  log(): string;
}

export interface MosquittoOptions {
  tls?: boolean;
  /** Also open a `protocol websockets` listener (the hall display's browser connection). */
  websockets?: boolean;
  /** Keep sessions across restart (persistence true in a temp dir); default off. */
  persistence?: boolean;
  /** Extra config lines (e.g. max_inflight_messages). */
  extra?: readonly string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function makeTls(dir: string): { caFile: string; certFile: string; keyFile: string; serverCert: string; serverKey: string } {
  const p = (f: string) => join(dir, f);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=ektp test CA', '-keyout', p('ca.key'), '-out', p('ca.crt'));
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', p('server.key'), '-out', p('server.csr'));
  ossl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', p('server.ext'), '-out', p('server.crt'));
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=counter-test', '-keyout', p('client.key'), '-out', p('client.csr'));
  ossl('x509', '-req', '-in', p('client.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-out', p('client.crt'));
  return { caFile: p('ca.crt'), certFile: p('client.crt'), keyFile: p('client.key'), serverCert: p('server.crt'), serverKey: p('server.key') };
}

function waitForPort(port: number, timeoutMs: number, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      if (proc.exitCode !== null) {
        let log = '';
        try {
          log = readFileSync(logFile, 'utf8');
        } catch {
          /* no log yet */
        }
        reject(new Error(`mosquitto exited with ${proc.exitCode}: ${log}`));
        return;
      }
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(tryOnce, 25);
      });
    };
    tryOnce();
  });
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-mosquitto-'));
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : null;
  const tls = opts.tls ? makeTls(dir) : null;
  const wsPort = opts.websockets ? await freePort() : null;
  const logFile = join(dir, 'mosquitto.log');
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    // As root (CI), mosquitto would drop to user `mosquitto`, which cannot read our 0700 temp dir.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `persistence ${opts.persistence ? 'true' : 'false'}`,
    ...(opts.persistence ? [`persistence_location ${dir}/`, 'autosave_interval 1'] : []),
    `log_dest file ${logFile}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'max_keepalive 65535',
    ...(tls && tlsPort
      ? [
          `listener ${tlsPort} 127.0.0.1`,
          'allow_anonymous true',
          `cafile ${tls.caFile}`,
          `certfile ${tls.serverCert}`,
          `keyfile ${tls.serverKey}`,
          'require_certificate true',
        ]
      : []),
    ...(wsPort ? [`listener ${wsPort} 127.0.0.1`, 'protocol websockets', 'allow_anonymous true'] : []),
    ...(opts.extra ?? []),
  ];
  const confFile = join(dir, 'mosquitto.conf');
  writeFileSync(confFile, lines.join('\n') + '\n');

  let proc: ChildProcess;
  let watchdog: ChildProcess | null = null;
  const launch = async () => {
    proc = spawn('mosquitto', ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.resume();
    // If this process dies without cleanup (tap timeout, SIGKILL), the broker must not outlive it
    // on a machine shared by many test runs: a tiny shell watches our pid, stops the broker and removes its temp dir.
    watchdog?.kill();
    watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill ${proc.pid} 2>/dev/null; sleep 1; rm -rf '${dir}'`], {
      stdio: 'ignore',
      detached: true,
    });
    watchdog.unref();
    await waitForPort(port, 5000, proc, logFile);
    if (tlsPort) await waitForPort(tlsPort, 5000, proc, logFile);
    if (wsPort) await waitForPort(wsPort, 5000, proc, logFile);
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      // This broker process, not whatever `proc` names when the timer fires: after a restart that
      // is the new broker, which a late SIGKILL would take down again.
      const p = proc;
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      const hard = setTimeout(() => p.kill('SIGKILL'), 3000);
      hard.unref();
      p.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      p.kill('SIGTERM');
    });
  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    tlsPort,
    tlsUrl: tlsPort ? `mqtts://127.0.0.1:${tlsPort}` : null,
    wsPort,
    wsUrl: wsPort ? `ws://127.0.0.1:${wsPort}` : null,
    tls: tls ? { caFile: tls.caFile, certFile: tls.certFile, keyFile: tls.keyFile } : null,
    dir,
    pid: () => proc.pid,
    async stop() {
      await kill();
      watchdog?.kill();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(downMs = 0) {
      await kill();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    log() {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
  };
}

export interface Received {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
  readonly at: number;
}

export interface Collector {
  readonly messages: Received[];
  readonly client: import('mqtt').MqttClient;
  /** Resolves with the first message (already received or future) matching `pred`. */
  waitFor(pred: (m: Received) => boolean, timeoutMs?: number, what?: string): Promise<Received>;
  /** Resolves when `pred(messages)` is true. */
  until(pred: (all: readonly Received[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  end(): Promise<void>;
}

/** A plain mqtt.js subscriber that records everything it sees (JSON left as text). */
export async function collect(
  url: string,
  filters: string | string[],
  opts: import('mqtt').IClientOptions = {},
): Promise<Collector> {
  const { default: mqtt } = await import('mqtt');
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 200, ...opts });
  const messages: Received[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain, at: Date.now() });
    for (const w of [...waiters]) w();
  });
  await client.subscribeAsync(filters, { qos: 1 });
  const until = (pred: (all: readonly Received[]) => boolean, timeoutMs = 5000, what = 'condition') =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pred(messages)) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${messages.length} messages`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    messages,
    client,
    async waitFor(pred, timeoutMs = 5000, what = 'message') {
      await until((all) => all.some(pred), timeoutMs, what);
      return messages.find(pred)!;
    },
    until,
    async end() {
      await client.endAsync(true);
    },
  };
}
