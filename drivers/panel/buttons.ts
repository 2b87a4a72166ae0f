import type { Clock } from './clock.ts';
import { chordCommand, type ButtonName, type PanelInput } from './types.ts';

export interface ButtonTiming {
  /** Quiet time after the last edge before the line is re-read and believed. */
  readonly debounceMs: number;
  /** Hold time for a long press or a two-button command. */
  readonly longPressMs: number;
}

/**
 * Turns raw edges of the five buttons into operator inputs. Per button, every edge restarts a
 * debounce timer; when it fires the line is read again, and only a level different from the
 * last believed one counts, so contact bounce and noise spikes that settle back never become
 * presses (fivdi/onoff #51, #27, #203).
 *
 * A press is reported on release, which is what lets one button carry both a short and a long
 * meaning. Holding for longPressMs reports `long` (one button) or a command (a known pair, see
 * CHORDS); the buttons involved are then spent and their release reports nothing. A short press
 * that overlapped another button is dropped: it is ambiguous, and a wrong SESUAI is worse than a
 * second press.
 */
export class ButtonLogic {
  readonly #clock: Clock;
  readonly #timing: ButtonTiming;
  readonly #read: (b: ButtonName) => 0 | 1;
  readonly #emit: (input: PanelInput) => void;
  readonly #onReadError: (button: ButtonName, err: unknown) => void;
  readonly #level = new Map<ButtonName, 0 | 1>();
  readonly #debounce = new Map<ButtonName, unknown>();
  readonly #held = new Set<ButtonName>();
  /** Buttons whose current press already produced an input, or overlapped another one. */
  readonly #spent = new Set<ButtonName>();
  #holdTimer: unknown = null;

  constructor(opts: {
    clock: Clock;
    timing: ButtonTiming;
    read: (b: ButtonName) => 0 | 1;
    emit: (input: PanelInput) => void;
    /** A line read failed; the button keeps its last believed level (no phantom release). */
    onReadError?: (button: ButtonName, err: unknown) => void;
  }) {
    this.#clock = opts.clock;
    this.#timing = opts.timing;
    this.#read = opts.read;
    this.#emit = opts.emit;
    this.#onReadError = opts.onReadError ?? (() => {});
  }

  /** Takes the levels at open, so a button held while the agent starts is not a press. */
  prime(buttons: readonly ButtonName[]): void {
    for (const b of buttons) {
      let v: 0 | 1 = 0;
      try {
        v = this.#read(b);
      } catch (err) {
        this.#onReadError(b, err);
      }
      this.#level.set(b, v);
      if (v === 1) {
        this.#held.add(b);
        this.#spent.add(b);
      }
    }
  }

  /** A raw edge from the line (bounces included). */
  edge(button: ButtonName): void {
    const t = this.#debounce.get(button);
    if (t !== undefined) this.#clock.clearTimeout(t);
    this.#debounce.set(
      button,
      this.#clock.setTimeout(() => {
        this.#debounce.delete(button);
        this.#settle(button);
      }, this.#timing.debounceMs),
    );
  }

  stop(): void {
    for (const t of this.#debounce.values()) this.#clock.clearTimeout(t);
    this.#debounce.clear();
    this.#clearHold();
  }

  #settle(button: ButtonName): void {
    let level: 0 | 1;
    try {
      level = this.#read(button);
    } catch (err) {
      this.#onReadError(button, err);
      return;
    }
    if (level === (this.#level.get(button) ?? 0)) return;
    this.#level.set(button, level);
    if (level === 1) this.#down(button);
    else this.#up(button);
  }

  #down(button: ButtonName): void {
    if (this.#held.size > 0) {
      // A second button joins: both become a possible chord, neither a short press.
      for (const b of this.#held) this.#spent.add(b);
      this.#spent.add(button);
    }
    this.#held.add(button);
    this.#clearHold();
    this.#holdTimer = this.#clock.setTimeout(() => this.#holdElapsed(), this.#timing.longPressMs);
  }

  #up(button: ButtonName): void {
    this.#held.delete(button);
    const spent = this.#spent.delete(button);
    if (this.#held.size === 0) this.#clearHold();
    if (!spent) this.#emit({ kind: 'press', button });
  }

  #holdElapsed(): void {
    this.#holdTimer = null;
    if (this.#held.size === 1) {
      const [button] = this.#held;
      // Spent means it was part of a chord whose partner let go early: not a long press.
      if (this.#spent.has(button)) return;
      this.#spent.add(button);
      this.#emit({ kind: 'long', button });
      return;
    }
    const command = chordCommand(this.#held);
    for (const b of this.#held) this.#spent.add(b);
    if (command) this.#emit({ kind: 'command', command });
  }

  #clearHold(): void {
    if (this.#holdTimer !== null) this.#clock.clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
  }
}
