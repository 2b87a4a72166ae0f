import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A pcscd of our own with the vsmartcard vpcd driver, for tests, the benchmark and the demo's
 * pcsc path. DEVELOPMENT TOOL: a counter uses the system pcscd with its real reader.
 *
 * pcsc-lite 1.9.9's daemon has a fixed socket and pid file under /run/pcscd (only the client
 * library honours PCSCLITE_CSOCK_NAME), so two daemons would collide. We therefore start pcscd in
 * a private mount namespace (`unshare --mount`, needs root, which CI has) with a temp directory
 * bind-mounted over /run/pcscd, and point this process's client library at
 * `<temp>/pcscd.comm` through PCSCLITE_CSOCK_NAME. A private reader.conf.d (`pcscd --config`)
 * gives vpcd a free port pair: slot 00 on `port`, slot 01 on `port + 1`.
 */
export interface PrivatePcscd {
  readonly dir: string;
  readonly socketPath: string;
  /** vpcd base port: the card slot. The second slot listens on `port + 1`. */
  readonly port: number;
  /** PC/SC reader names of the two vpcd slots. */
  readonly readerNames: readonly [string, string];
  readonly running: boolean;
  /** Kills pcscd (as if it crashed or was restarted by systemd) without removing the directory. */
  kill(): Promise<void>;
  /**
   * Starts pcscd again on the same socket and ports (optionally toggling the TCP_NODELAY shim).
   * `readers: false` starts it with no vpcd reader configured: the closest vpcd comes to a reader
   * unplugged while pcscd runs (its readers are static, so there is no hot-unplug event).
   */
  restart(opts?: { nodelay?: boolean; readers?: boolean }): Promise<void>;
  /** Stops pcscd and removes the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PrivatePcscdOptions {
  /** Build and preload the TCP_NODELAY shim (vpcd/nodelay.c). Default true. */
  readonly nodelay?: boolean;
  /** pcscd log lines go here (default: dropped). */
  readonly onLog?: (line: string) => void;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

/** Compiles nodelay.c into `dir` with the system C compiler; returns the .so path. */
export function buildNodelayShim(dir: string): string {
  const out = join(dir, 'libnodelay.so');
  const r = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-o', out, join(HERE, 'nodelay.c'), '-ldl'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot build the vpcd TCP_NODELAY shim with gcc: ${r.error?.message ?? r.stderr}`);
  return out;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

async function freePortPair(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error('no free TCP port pair for vpcd');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startPrivatePcscd(opts: PrivatePcscdOptions = {}): Promise<PrivatePcscd> {
  if (!existsSync(VPCD_DRIVER)) throw new Error(`vsmartcard-vpcd is not installed (${VPCD_DRIVER} missing)`);
  if (process.getuid?.() !== 0) throw new Error('a private pcscd needs root (mount namespace for /run/pcscd)');
  const dir = mkdtempSync(join(tmpdir(), 'ektp-pcscd-'));
  const runDir = join(dir, 'run');
  const confDir = join(dir, 'reader.conf.d');
  mkdirSync(runDir);
  mkdirSync(confDir);
  const port = await freePortPair();
  const hex = `0x${port.toString(16).toUpperCase()}`;
  const readerConf = `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${hex}\nLIBPATH      ${VPCD_DRIVER}\nCHANNELID    ${hex}\n`;
  writeFileSync(join(confDir, 'vpcd'), readerConf);
  let shim = opts.nodelay === false ? undefined : buildNodelayShim(dir);
  const socketPath = join(runDir, 'pcscd.comm');
  // The client library caches the socket name on first use, so this must precede any context.
  const previous = process.env.PCSCLITE_CSOCK_NAME;
  if (previous !== undefined && previous !== socketPath) {
    throw new Error(`PCSCLITE_CSOCK_NAME is already ${previous}: one private pcscd per process`);
  }
  process.env.PCSCLITE_CSOCK_NAME = socketPath;
  // The bind target must exist in the host namespace; an empty directory is harmless there.
  mkdirSync('/run/pcscd', { recursive: true });

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    rmSync(socketPath, { force: true });
    rmSync(join(runDir, 'pcscd.pid'), { force: true });
    const script = `mount --bind "$1" /run/pcscd && exec pcscd --foreground --config "$2"`;
    // setpriv --pdeathsig: pcscd gets SIGTERM if this process dies without stopping it (a killed
    // test run), instead of living on as an orphan holding the vpcd ports.
    const args = ['--mount', '--propagation', 'private', 'setpriv', '--pdeathsig', 'TERM', '--', 'sh', '-c', script, 'sh', runDir, confDir];
    const p = spawn('unshare', args, {
      env: { ...process.env, ...(shim ? { LD_PRELOAD: shim } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = p;
    let output = '';
    const onChunk = (b: Buffer) => {
      const text = b.toString();
      output += text;
      for (const line of text.split('\n')) if (line) opts.onLog?.(line);
    };
    p.stdout!.on('data', onChunk);
    p.stderr!.on('data', onChunk);
    exited = new Promise((resolve) => p.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!existsSync(socketPath)) {
      if (p.exitCode !== null || p.signalCode !== null) throw new Error(`pcscd exited at start: ${output.trim()}`);
      if (Date.now() > deadline) {
        p.kill('SIGKILL');
        throw new Error(`pcscd did not create ${socketPath}: ${output.trim()}`);
      }
      await sleep(20);
    }
  };

  const kill = async (): Promise<void> => {
    const p = child;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };

  await launch();
  let stopped = false;
  return {
    dir,
    socketPath,
    port,
    readerNames: ['Virtual PCD 00 00', 'Virtual PCD 00 01'],
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    kill,
    async restart(o = {}) {
      await kill();
      if (o.nodelay !== undefined) shim = o.nodelay ? buildNodelayShim(dir) : undefined;
      if (o.readers === false) rmSync(join(confDir, 'vpcd'), { force: true });
      else writeFileSync(join(confDir, 'vpcd'), readerConf);
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
