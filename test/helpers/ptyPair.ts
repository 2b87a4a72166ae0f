import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Two connected pseudo-terminals from socat: the driver under test opens `device` like a USB
 * CDC-ACM tty; the test writes what the scanner would send to `peer`. `raw,echo=0` so bytes pass
 * unchanged. `stop()` kills socat, which the driver sees as the device going away.
 */
export interface PtyPair {
  readonly device: string;
  readonly peer: string;
  stop(): Promise<void>;
}

export async function openPtyPair(): Promise<PtyPair> {
  const proc: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths: string[] = [];
  let text = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socat gave no ptys: ${text}`)), 5000);
    proc.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      for (const m of text.matchAll(/PTY is (\/dev\/pts\/\d+)/g)) if (!paths.includes(m[1])) paths.push(m[1]);
      if (paths.length === 2 && /starting data transfer loop/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`socat exited ${code}: ${text}`)));
  });
  await ready;
  return {
    device: paths[0],
    peer: paths[1],
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}
