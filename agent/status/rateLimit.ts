/**
 * A token bucket on the monotonic clock: `capacity` at once, refilled at `perSecond`. Commands
 * from the broker pass through one, so a flood (500 `resend_info` in a second) costs a handful of
 * republishes, not 2,500, and a wall-clock step (NTP at boot) neither opens nor shuts it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
