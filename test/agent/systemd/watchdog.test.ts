import t from 'tap';
import { startWatchdog, watchdogPeriodUs, type WatchdogClock } from '../../../agent/systemd/watchdog.ts';
import type { Notifier } from '../../../agent/systemd/notify.ts';
import type { Logger } from '../../../drivers/logger.ts';

/** Timers that run only when the test lets the "event loop" turn. */
class FakeClock implements WatchdogClock {
  private t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.timers.delete(handle as number);
  }
  /** The loop runs normally for `ms`: every timer fires on time. */
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
  }
  /** The loop is hung: time passes and no timer ever runs. */
  hang(ms: number) {
    this.t += ms;
  }
  /** The loop is blocked for `ms`; overdue timers fire late, once it frees up. */
  stall(ms: number) {
    this.t += ms;
    this.advance(0);
  }
}

function countingNotifier(enabled = true): Notifier & { pings: number } {
  const n = {
    enabled,
    pings: 0,
    ready: async () => {},
    watchdog: async () => {
      n.pings++;
    },
    stopping: async () => {},
    status: async () => {},
    close() {},
  };
  return n;
}

function recordingLogger(): Logger & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  const log = {
    warnings,
    debug() {},
    info() {},
    warn(obj: object) {
      warnings.push(obj as Record<string, unknown>);
    },
    error() {},
    child: () => log,
  };
  return log;
}

t.test('watchdogPeriodUs', async (t) => {
  t.test('reads WATCHDOG_USEC for this process', async (t) => {
    t.equal(watchdogPeriodUs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 30_000_000);
    t.equal(watchdogPeriodUs({ WATCHDOG_USEC: '30000000' }, 42), 30_000_000);
  });
  t.test('ignores a watchdog meant for another process', async (t) => {
    t.equal(watchdogPeriodUs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '41' }, 42), undefined);
  });
  t.test('treats a missing, zero or garbage value as no watchdog', async (t) => {
    t.equal(watchdogPeriodUs({}, 42), undefined);
    t.equal(watchdogPeriodUs({ WATCHDOG_USEC: '0' }, 42), undefined);
    t.equal(watchdogPeriodUs({ WATCHDOG_USEC: 'soon' }, 42), undefined);
  });
});

t.test('startWatchdog', async (t) => {
  t.test('pings at once and then every half period', async (t) => {
    const clock = new FakeClock();
    const n = countingNotifier();
    const wd = startWatchdog(n, { periodUs: 30_000_000, clock });
    t.equal(wd.intervalMs, 15_000);
    t.equal(n.pings, 1);
    clock.advance(14_999);
    t.equal(n.pings, 1);
    clock.advance(1);
    t.equal(n.pings, 2);
    clock.advance(30_000);
    t.equal(n.pings, 4);
    wd.stop();
  });

  t.test('skips the ping after the event loop stalled longer than half a period, then resumes', async (t) => {
    const clock = new FakeClock();
    const n = countingNotifier();
    const log = recordingLogger();
    const wd = startWatchdog(n, { periodUs: 30_000_000, clock, logger: log });
    clock.stall(40_000);
    t.equal(n.pings, 1, 'no ping for a tick 25 s late');
    t.equal(log.warnings.length, 1);
    t.equal(log.warnings[0]?.lagMs, 25_000);
    clock.advance(15_000);
    t.equal(n.pings, 2, 'a healthy loop pings again');
    wd.stop();
  });

  t.test('still pings when the loop was only briefly busy', async (t) => {
    const clock = new FakeClock();
    const n = countingNotifier();
    const wd = startWatchdog(n, { periodUs: 30_000_000, clock });
    clock.stall(20_000);
    t.equal(n.pings, 2, 'a tick 5 s late is within the budget');
    wd.stop();
  });

  t.test('never pings for a loop stalled forever, so systemd restarts the agent', async (t) => {
    const clock = new FakeClock();
    const n = countingNotifier();
    const wd = startWatchdog(n, { periodUs: 30_000_000, clock });
    clock.hang(100_000);
    t.equal(n.pings, 1);
    wd.stop();
  });

  t.test('stops pinging once stopped', async (t) => {
    const clock = new FakeClock();
    const n = countingNotifier();
    const wd = startWatchdog(n, { periodUs: 2_000_000, clock });
    clock.advance(1_000);
    wd.stop();
    clock.advance(10_000);
    t.equal(n.pings, 2);
  });

  t.test('is inert without a period or without systemd', async (t) => {
    const clock = new FakeClock();
    const off = countingNotifier(false);
    t.equal(startWatchdog(off, { periodUs: 30_000_000, clock }).intervalMs, 0);
    const on = countingNotifier();
    t.equal(startWatchdog(on, { periodUs: undefined, clock }).intervalMs, 0);
    clock.advance(100_000);
    t.equal(off.pings + on.pings, 0);
  });
});
