import type { Logger } from '../drivers/logger.ts';
import { timedatectlSynchronized } from './doctor/checks/clock.ts';

/** Whether the wall clock is NTP-synced: true/false, or null when it cannot be told (no timedated). */
export interface ClockSync {
  synced(): boolean | null;
}

/**
 * Watches `timedatectl`'s NTPSynchronized (as `doctor` reads it) every `periodMs`. A Pi without an
 * RTC boots on a stale time; until the clock is synced the counter warns (GANGGUAN slow, the
 * `clock_not_synced` alert) and keeps queue numbers running instead of starting a new day.
 */
export class ClockWatch implements ClockSync {
  private state: boolean | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: { logger: Logger; periodMs?: number; probe?: () => Promise<boolean | undefined>; onChange?: (synced: boolean | null) => void },
  ) {}

  synced(): boolean | null {
    return this.state;
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.periodMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    const v = (await (this.opts.probe ?? timedatectlSynchronized)()) ?? null;
    if (v === this.state) return;
    this.state = v;
    this.opts.logger.child({ module: 'clock' })[v === false ? 'warn' : 'info']({ synced: v }, v === false ? 'clock not synced: queue numbers keep running' : 'clock sync state');
    this.opts.onChange?.(v);
  }
}
