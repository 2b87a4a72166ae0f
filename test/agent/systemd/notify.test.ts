import t, { type Test } from 'tap';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNotifier } from '../../../agent/systemd/notify.ts';
import type { Logger } from '../../../drivers/logger.ts';

interface Receiver {
  path: string;
  /** Resolves with the next datagram, as text. */
  next(): Promise<string>;
}

/** A fake systemd: a real AF_UNIX datagram socket bound where NOTIFY_SOCKET will point. */
function bindReceiver(t: Test): Receiver {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-notify-'));
  const path = join(dir, 'notify');
  const dgram = createRequire(import.meta.url)('unix-dgram') as {
    createSocket(type: 'unix_dgram', onMessage: (buf: Buffer) => void): { bind(p: string): void; close(): void; on(e: string, l: (err: Error) => void): void };
  };
  const queue: string[] = [];
  const waiters: Array<(s: string) => void> = [];
  const sock = dgram.createSocket('unix_dgram', (buf) => {
    const w = waiters.shift();
    if (w) w(buf.toString());
    else queue.push(buf.toString());
  });
  sock.on('error', (err) => t.fail(`receiver: ${err.message}`));
  sock.bind(path);
  t.teardown(() => {
    sock.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    path,
    next: () => {
      const q = queue.shift();
      return q !== undefined ? Promise.resolve(q) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger & { warnings: string[] } = {
    warnings,
    debug() {},
    info() {},
    warn(_obj, msg) {
      warnings.push(msg ?? '');
    },
    error() {},
    child: () => log,
  };
  return log;
}

t.test('createNotifier', async (t) => {
  t.test('does nothing and reports disabled when NOTIFY_SOCKET is unset', async (t) => {
    const n = createNotifier({ env: {} });
    t.equal(n.enabled, false);
    await n.ready('Siap');
    await n.watchdog();
    await n.stopping();
    n.close();
    n.close();
  });

  t.test('sends READY, STATUS, WATCHDOG and STOPPING to the notify socket', async (t) => {
    const rx = bindReceiver(t);
    const n = createNotifier({ env: { NOTIFY_SOCKET: rx.path } });
    t.teardown(() => n.close());
    t.equal(n.enabled, true);
    await n.ready('Siap melayani');
    t.equal(await rx.next(), 'READY=1\nSTATUS=Siap melayani');
    await n.watchdog();
    t.equal(await rx.next(), 'WATCHDOG=1');
    await n.status('printer: PAPER_OUT');
    t.equal(await rx.next(), 'STATUS=printer: PAPER_OUT');
    await n.stopping();
    t.equal(await rx.next(), 'STOPPING=1');
  });

  t.test('flattens a multi-line status so it cannot inject another assignment', async (t) => {
    const rx = bindReceiver(t);
    const n = createNotifier({ env: { NOTIFY_SOCKET: rx.path } });
    t.teardown(() => n.close());
    await n.status('line one\nREADY=1');
    t.equal(await rx.next(), 'STATUS=line one READY=1');
  });

  t.test('logs and carries on when systemd is not listening', async (t) => {
    const log = recordingLogger();
    const n = createNotifier({ env: { NOTIFY_SOCKET: join(tmpdir(), `ektp-nobody-${process.pid}`) }, logger: log });
    t.teardown(() => n.close());
    await n.watchdog();
    t.same(log.warnings, ['sd_notify send failed']);
  });

  t.test('is silent after close', async (t) => {
    const log = recordingLogger();
    const n = createNotifier({ env: { NOTIFY_SOCKET: join(tmpdir(), `ektp-nobody-${process.pid}`) }, logger: log });
    n.close();
    n.close();
    await n.watchdog();
    t.same(log.warnings, []);
  });

  t.test('refuses an abstract notify socket with SD_NOTIFY_UNAVAILABLE', async (t) => {
    t.throws(() => createNotifier({ env: { NOTIFY_SOCKET: '@/org/freedesktop/systemd1/notify' } }), { code: 'SD_NOTIFY_UNAVAILABLE' });
  });
});
