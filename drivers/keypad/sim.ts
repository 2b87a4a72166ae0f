import { EventEmitter } from 'node:events';
import { EntryBuffer } from './entryBuffer.ts';
import { keypadCode, KEY } from './keymap.ts';
import { KeypadError, type Keypad, type KeypadEvents } from './types.ts';

/** In-memory keypad: `type('3273…')` presses the keypad keys, `enter()` submits. */
export class SimKeypad extends EventEmitter<KeypadEvents> implements Keypad {
  #open = false;
  #lastError: 'KEYPAD_ABSENT' | null = null;
  readonly #buffer = new EntryBuffer();

  async open(): Promise<void> {
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
  }

  health() {
    if (!this.#open) return { state: 'closed' as const, lastError: null };
    return this.#lastError ? { state: 'absent' as const, lastError: this.#lastError } : { state: 'ok' as const, lastError: null };
  }

  // ---- test controls ----

  press(code: number): void {
    if (!this.#open) throw new Error('SimKeypad is not open');
    const r = this.#buffer.key(code);
    if (!r) return;
    if (r.kind === 'entry') this.emit('entry', r.text);
    else if (r.kind === 'typing') this.emit('typing', r.length);
    else this.emit('fault', new KeypadError('KEYPAD_OVERFLOW', 'entry too long; cleared'));
  }

  type(text: string): void {
    for (const ch of text) this.press(keypadCode(ch));
  }

  enter(): void {
    this.press(KEY.KPENTER);
  }

  /** The keypad pulled out, as the evdev keypad reports it (`fault`, KEYPAD_ABSENT). */
  unplug(): void {
    this.#lastError = 'KEYPAD_ABSENT';
    this.emit('fault', new KeypadError('KEYPAD_ABSENT', 'simulated keypad unplugged', { retryable: true }));
  }

  /** Plugged back in: `recovered`, as the evdev keypad says it once it reads again. */
  replug(): void {
    if (this.#lastError === null) return;
    this.#lastError = null;
    this.emit('recovered');
  }
}
