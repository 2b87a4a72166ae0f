import type { Clock } from './clock.ts';
import type { LedName, LedPattern } from './types.ts';

/** [on ms, off ms] per blinking pattern. */
export const PATTERN_TIMING: Readonly<Record<'slow' | 'fast' | 'pulse', readonly [number, number]>> = {
  slow: [500, 500],
  fast: [125, 125],
  pulse: [120, 1380],
};

/**
 * Drives the LEDs. Each LED owns at most one timer: setting a pattern clears the old timer before
 * anything else, and a blink step schedules only its own successor, so switching patterns any
 * number of times never leaves extra timers toggling the same LED.
 */
export class LedDriver {
  readonly #clock: Clock;
  readonly #write: (led: LedName, value: 0 | 1) => void;
  readonly #pattern = new Map<LedName, LedPattern>();
  readonly #timer = new Map<LedName, unknown>();

  constructor(opts: { clock: Clock; write: (led: LedName, value: 0 | 1) => void }) {
    this.#clock = opts.clock;
    this.#write = opts.write;
  }

  set(led: LedName, pattern: LedPattern): void {
    const t = this.#timer.get(led);
    if (t !== undefined) this.#clock.clearTimeout(t);
    this.#timer.delete(led);
    this.#pattern.set(led, pattern);
    if (pattern === 'on' || pattern === 'off') {
      this.#write(led, pattern === 'on' ? 1 : 0);
      return;
    }
    const [onMs, offMs] = PATTERN_TIMING[pattern];
    const step = (lit: boolean) => {
      this.#write(led, lit ? 1 : 0);
      this.#timer.set(
        led,
        this.#clock.setTimeout(() => step(!lit), lit ? onMs : offMs),
      );
    };
    step(true);
  }

  get(led: LedName): LedPattern {
    return this.#pattern.get(led) ?? 'off';
  }

  /** Live timers, for tests and health. */
  timers(): number {
    return this.#timer.size;
  }

  stopAll(): void {
    for (const t of this.#timer.values()) this.#clock.clearTimeout(t);
    this.#timer.clear();
  }
}
