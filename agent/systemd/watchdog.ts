import { silentLogger, type Logger } from '../../drivers/logger.ts';
import type { Notifier } from './notify.ts';

/** Time source and timers, injectable so tests can stall the "event loop" without waiting. */
export interface WatchdogClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: WatchdogClock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    // The pinger alone must never keep a stopping agent alive.
    return setTimeout(fn, ms).unref();
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface WatchdogOptions {
  /** systemd's watchdog period in microseconds (WATCHDOG_USEC); undefined means no watchdog. */
  periodUs: number | undefined;
  /**
   * A tick later than this (ms) is not pinged. Default half the period: a tick that late means
   * more than a whole period passed since the last ping, so the loop was stalled past systemd's
   * deadline and pinging now would hide the hang.
   */
  maxLagMs?: number;
  logger?: Logger;
  clock?: WatchdogClock;
}

export interface Watchdog {
  /** Ping interval in ms, 0 when inert. */
  readonly intervalMs: number;
  stop(): void;
}

/**
 * The watchdog period systemd asks for, as sd_watchdog_enabled(3) reads it: WATCHDOG_USEC, and
 * only for the process WATCHDOG_PID names (a child that inherited the variables must not ping).
 */
export function watchdogPeriodUs(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return usec;
}

const inert: Watchdog = Object.freeze({ intervalMs: 0, stop() {} });

/**
 * Sends WATCHDOG=1 now and every half period from a timer on the event loop. The timer is the
 * liveness probe: if the loop hangs (a stuck native call, an endless loop) the timer does not
 * fire, pings stop, and systemd kills and restarts the agent after WatchdogSec. A tick that does
 * fire but late by more than `maxLagMs` is skipped for the same reason.
 */
export function startWatchdog(notifier: Notifier, opts: WatchdogOptions): Watchdog {
  if (!notifier.enabled || opts.periodUs === undefined || opts.periodUs <= 0) return inert;
  const clock = opts.clock ?? realClock;
  const log = (opts.logger ?? silentLogger).child({ module: 'watchdog' });
  const intervalMs = Math.max(1, Math.floor(opts.periodUs / 2000));
  const maxLagMs = opts.maxLagMs ?? intervalMs;
  let handle: unknown;
  let stopped = false;

  const arm = () => {
    const due = clock.now() + intervalMs;
    handle = clock.setTimeout(() => tick(due), intervalMs);
  };
  const tick = (due: number) => {
    if (stopped) return;
    const lagMs = clock.now() - due;
    if (lagMs > maxLagMs) {
      log.warn({ lagMs: Math.round(lagMs), maxLagMs }, 'event loop stalled; watchdog ping skipped');
    } else {
      void notifier.watchdog();
    }
    arm();
  };

  void notifier.watchdog();
  arm();
  return {
    intervalMs,
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}
