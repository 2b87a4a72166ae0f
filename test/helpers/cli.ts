import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/ektp-agent.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ektp-agent ARGS` as the box would, with the refusal LED shown for 0 ms. */
export function cli(args: readonly string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: REPO, env: { ...process.env, EKTP_REFUSAL_SHOW_MS: '0', ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `ektp-agent run` in the background; resolves once it logged "counter ready". */
export async function startAgent(configFile: string): Promise<{ stop(): Promise<number | null>; output(): string }> {
  const child = spawn(process.execPath, [BIN, 'run', '--config', configFile], { cwd: REPO, env: { ...process.env, EKTP_REFUSAL_SHOW_MS: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent not ready:\n${out}`)), 60_000);
    const check = () => {
      if (out.includes('counter ready')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited ${code}:\n${out}`));
    });
  });
  return {
    output: () => out,
    stop: () =>
      new Promise((res) => {
        child.removeAllListeners('exit');
        child.once('exit', (code) => res(code));
        child.kill('SIGTERM');
      }),
  };
}

/** A config file for a simulated counter with `dataDir`, plus `extra` keys. */
export function writeConfig(dir: string, dataDir: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ version: 1, dataDir, ...extra }, null, 2));
  return file;
}
