import { createRequire } from 'node:module';
import { CodedError } from '../../drivers/deviceError.ts';
import { silentLogger, type Logger } from '../../drivers/logger.ts';


export type SystemdErrorCode = 'SD_NOTIFY_UNAVAILABLE';
export class SystemdError extends CodedError<SystemdErrorCode> {}

/**
 * sd_notify(3) for the agent: tells systemd when the counter is ready, that it is still alive
 * (watchdog), that it is stopping, and a one-line status shown by `systemctl status ektp-agent`.
 *
 * Sending never throws: a lost notification must not take a counter transaction down with it.
 * systemd notices a missing READY=1 or WATCHDOG=1 on its own and restarts the unit.
 */
export interface Notifier {
  /** False when NOTIFY_SOCKET is unset (not started by systemd): every method is then a no-op. */
  readonly enabled: boolean;
  ready(status?: string): Promise<void>;
  watchdog(): Promise<void>;
  stopping(status?: string): Promise<void>;
  status(text: string): Promise<void>;
  /** Releases the socket. Harmless when called twice. */
  close(): void;
}

/** The part of unix-dgram's socket we use (the package ships no types). */
interface DgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, callback: (err?: Error) => void): void;
  close(): void;
  on(event: 'error', listener: (err: Error) => void): this;
}
interface UnixDgramModule {
  createSocket(type: 'unix_dgram'): DgramSocket;
}

/**
 * Node has no AF_UNIX datagram sockets, which is what NOTIFY_SOCKET is. unix-dgram is the small
 * native binding zigbee2mqtt uses for the same job; it is loaded only when systemd is really there,
 * so development machines never touch it. Exec'ing `systemd-notify` instead would fork a process
 * every watchdog tick and needs NotifyAccess=all, which lets any child of the agent report READY.
 */
function loadUnixDgram(): UnixDgramModule {
  const require = createRequire(import.meta.url);
  return require('unix-dgram') as UnixDgramModule;
}

/** One notification line: systemd splits on newlines, so a status text must not carry any. */
function line(key: string, value: string): string {
  return `${key}=${value.replace(/[\r\n]+/g, ' ').trim()}`;
}

export interface NotifierOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/**
 * Builds the notifier from NOTIFY_SOCKET. Throws SD_NOTIFY_UNAVAILABLE when systemd asks for
 * notifications the agent cannot send (abstract socket, native module missing): better a clear
 * line in the journal at start than a unit that silently times out 90 s later.
 */
export function createNotifier(opts: NotifierOptions = {}): Notifier {
  const env = opts.env ?? process.env;
  const log = (opts.logger ?? silentLogger).child({ module: 'sd-notify' });
  const path = env.NOTIFY_SOCKET;
  if (path === undefined || path === '') return disabledNotifier;

  if (path.startsWith('@')) {
    throw new SystemdError('SD_NOTIFY_UNAVAILABLE', `NOTIFY_SOCKET ${path} is an abstract socket, which unix-dgram cannot address`, {
      detail: { notifySocket: path },
    });
  }
  let socket: DgramSocket;
  try {
    socket = loadUnixDgram().createSocket('unix_dgram');
  } catch (err) {
    throw new SystemdError('SD_NOTIFY_UNAVAILABLE', 'NOTIFY_SOCKET is set but the unix-dgram module cannot be loaded (run npm ci on this box)', {
      cause: err,
    });
  }
  // unix-dgram reports some failures as 'error' events; without a listener they would crash node.
  socket.on('error', (err) => log.warn({ err }, 'sd_notify socket error'));
  let closed = false;

  const send = (lines: string[]): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      const buf = Buffer.from(lines.join('\n'));
      socket.send(buf, 0, buf.length, path, (err) => {
        if (err) log.warn({ err, message: lines[0] }, 'sd_notify send failed');
        resolve();
      });
    });

  return {
    enabled: true,
    ready: (status) => send(status === undefined ? ['READY=1'] : ['READY=1', line('STATUS', status)]),
    watchdog: () => send(['WATCHDOG=1']),
    stopping: (status) => send(status === undefined ? ['STOPPING=1'] : ['STOPPING=1', line('STATUS', status)]),
    status: (text) => send([line('STATUS', text)]),
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

const resolved = Promise.resolve();
const disabledNotifier: Notifier = Object.freeze({
  enabled: false,
  ready: () => resolved,
  watchdog: () => resolved,
  stopping: () => resolved,
  status: () => resolved,
  close() {},
});
