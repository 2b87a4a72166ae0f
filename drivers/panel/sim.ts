import { EventEmitter } from 'node:events';
import { BUTTONS, CHORDS, LEDS, PanelError, chordCommand, type ButtonName, type LedName, type LedPattern, type Panel, type PanelEvents, type PanelInput } from './types.ts';

/**
 * In-memory panel for tests, the demo and the keyboard console. It emits the same resolved
 * inputs the GPIO panel produces after debouncing, and keeps LED patterns for readout; it has no
 * timers, so nothing keeps a test process alive. Test controls: press, longPress, chord, led,
 * failLine and repairLine.
 */
export class SimPanel extends EventEmitter<PanelEvents> implements Panel {
  #open = false;
  #caseOpen = false;
  readonly #failing = new Set<string>();
  readonly #leds = new Map<LedName, LedPattern>(LEDS.map((l) => [l, 'off']));

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    this.#open = true;
  }

  async close(): Promise<void> {
    this.#open = false;
  }

  setLed(led: LedName, pattern: LedPattern): void {
    if (!this.#leds.has(led)) throw new RangeError(`unknown LED ${String(led)}`);
    this.#leds.set(led, pattern);
  }

  leds(): Readonly<Record<LedName, LedPattern>> {
    return Object.fromEntries(this.#leds) as Record<LedName, LedPattern>;
  }

  caseOpen(): boolean {
    return this.#caseOpen;
  }

  // ---- test controls ----

  /** The case lid lifted (true) or shut again (false), as the debounced case switch reports it. */
  setCaseOpen(open: boolean): void {
    if (open === this.#caseOpen) return;
    this.#caseOpen = open;
    this.emit('case', open);
  }

  /** A short press and release. */
  press(button: ButtonName): void {
    this.#emitInput({ kind: 'press', button: checkButton(button) });
  }

  /** Held past the long-press time, then released. */
  longPress(button: ButtonName): void {
    this.#emitInput({ kind: 'long', button: checkButton(button) });
  }

  /** Two buttons held together past the long-press time; only the pairs in CHORDS mean anything. */
  chord(...buttons: ButtonName[]): void {
    const command = chordCommand(buttons.map(checkButton));
    if (!command) {
      const known = CHORDS.map((c) => c.buttons.join('+')).join(', ');
      throw new RangeError(`no command for ${buttons.join('+')}; known chords: ${known}`);
    }
    this.#emitInput({ kind: 'command', command });
  }

  /** A GPIO line failing after open, reported as the GPIO panel reports it (`fault`, GPIO_IO). */
  failLine(what: string): void {
    this.#failing.add(what);
    this.emit('fault', new PanelError('GPIO_IO', `${what}: simulated line failure`));
  }

  /** The failed line works again; when it was the last one, `recovered` as the GPIO panel says it. */
  repairLine(what: string): void {
    if (!this.#failing.delete(what) || this.#failing.size > 0) return;
    this.emit('recovered');
  }

  /** One LED's pattern. */
  led(name: LedName): LedPattern {
    return this.#leds.get(name) ?? 'off';
  }

  #emitInput(input: PanelInput): void {
    if (!this.#open) throw new Error('SimPanel is not open');
    this.emit('input', input);
  }
}

function checkButton(button: ButtonName): ButtonName {
  if (!(BUTTONS as readonly string[]).includes(button)) throw new RangeError(`unknown button ${String(button)}`);
  return button;
}
