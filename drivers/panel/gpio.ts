import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.ts';
import { ButtonLogic, type ButtonTiming } from './buttons.ts';
import { checkSysfs, listChips, resolveLine, SYSFS_GPIO, type LineRef } from './chip.ts';
import { systemClock, type Clock } from './clock.ts';
import type { GpioLine, OpenLine } from './gpioLine.ts';
import { LedDriver } from './leds.ts';
import { BUTTONS, LEDS, PanelError, type ButtonName, type LedName, type LedPattern, type Panel, type PanelEvents } from './types.ts';

export interface GpioPanelOptions extends ButtonTiming {
  readonly buttons: Readonly<Record<ButtonName, LineRef>>;
  readonly leds: Readonly<Record<LedName, LineRef>>;
  readonly openLine: OpenLine;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Where sysfs GPIO lives; tests point it at a temp dir laid out like /sys/class/gpio. */
  readonly sysfsRoot?: string;
  /**
   * A case-intrusion switch: a microswitch the closed lid holds down, to ground against the
   * pull-up like the buttons, so it reads 1 while the case is shut. A lifted lid or a cut wire
   * reads 0: open. Emitted as `case` (agent/faults.ts turns it into the `tamper` event).
   */
  readonly caseSwitch?: LineRef;
}

/**
 * Buttons and LEDs on GPIO lines. Lines are named by chip label and offset and resolved against
 * sysfs at open (chip.ts); all timing lives in ButtonLogic and LedDriver, so this class only
 * wires lines to them. A line error is emitted as `fault`, never swallowed.
 */
export class GpioPanel extends EventEmitter<PanelEvents> implements Panel {
  readonly #opts: GpioPanelOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  #buttons = new Map<ButtonName, GpioLine>();
  #ledLines = new Map<LedName, GpioLine>();
  #buttonLogic: ButtonLogic | null = null;
  #caseLine: GpioLine | null = null;
  #caseOpen: boolean | null = null;
  #caseTimer: unknown = null;
  readonly #leds: LedDriver;
  #open = false;

  constructor(opts: GpioPanelOptions) {
    super();
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.logger.child({ module: 'panel' });
    this.#leds = new LedDriver({
      clock: this.#clock,
      write: (led, v) => {
        try {
          this.#ledLines.get(led)?.write(v);
        } catch (err) {
          this.emit('fault', new PanelError('GPIO_IO', `LED ${led}: ${(err as Error).message}`, { cause: err }));
        }
      },
    });
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    if (this.#open) return;
    const root = this.#opts.sysfsRoot ?? SYSFS_GPIO;
    await checkSysfs(root);
    const chips = await listChips(root);
    // Resolve every line before exporting any, so a config typo fails without side effects.
    const buttonNumbers = BUTTONS.map((b) => [b, resolveLine(chips, this.#opts.buttons[b])] as const);
    const ledNumbers = LEDS.map((l) => [l, resolveLine(chips, this.#opts.leds[l])] as const);
    const caseNumber = this.#opts.caseSwitch ? resolveLine(chips, this.#opts.caseSwitch) : null;
    try {
      for (const [b, n] of buttonNumbers) this.#buttons.set(b, this.#opts.openLine(n, 'button'));
      for (const [l, n] of ledNumbers) this.#ledLines.set(l, this.#opts.openLine(n, 'led'));
      if (caseNumber !== null) this.#caseLine = this.#opts.openLine(caseNumber, 'button');
    } catch (err) {
      this.#releaseLines();
      throw err instanceof PanelError ? err : new PanelError('GPIO_IO', (err as Error).message, { cause: err });
    }
    const logic = new ButtonLogic({
      clock: this.#clock,
      timing: this.#opts,
      read: (b) => this.#buttons.get(b)?.read() ?? 0,
      onReadError: (b, err) =>
        this.emit('fault', err instanceof PanelError ? err : new PanelError('GPIO_IO', `button ${b}: ${(err as Error).message}`, { cause: err })),
      emit: (input) => {
        this.#log.debug({ input }, 'panel input');
        this.emit('input', input);
      },
    });
    logic.prime(BUTTONS);
    for (const [b, line] of this.#buttons) {
      line.watch(
        () => logic.edge(b),
        (err) => this.emit('fault', err instanceof PanelError ? err : new PanelError('GPIO_IO', err.message, { cause: err })),
      );
    }
    this.#buttonLogic = logic;
    this.#watchCase();
    for (const l of LEDS) this.#leds.set(l, this.#leds.get(l));
    this.#open = true;
    this.#log.info({ lines: buttonNumbers.length + ledNumbers.length }, 'panel open');
  }

  async close(): Promise<void> {
    this.#buttonLogic?.stop();
    this.#buttonLogic = null;
    if (this.#caseTimer !== null) this.#clock.clearTimeout(this.#caseTimer);
    this.#caseTimer = null;
    this.#leds.stopAll();
    this.#releaseLines();
    this.#open = false;
  }

  setLed(led: LedName, pattern: LedPattern): void {
    this.#leds.set(led, pattern);
  }

  leds(): Readonly<Record<LedName, LedPattern>> {
    return Object.fromEntries(LEDS.map((l) => [l, this.#leds.get(l)])) as Record<LedName, LedPattern>;
  }

  caseOpen(): boolean | null {
    return this.#caseOpen;
  }

  /**
   * The case switch: its state at open (a case found open at boot is reported by whoever asks
   * caseOpen() after start), then each edge re-read after the debounce time, emitted on a change.
   */
  #watchCase(): void {
    const line = this.#caseLine;
    if (!line) return;
    const read = (): boolean | null => {
      try {
        return line.read() === 0;
      } catch (err) {
        this.emit('fault', new PanelError('GPIO_IO', `case switch: ${(err as Error).message}`, { cause: err }));
        return null;
      }
    };
    this.#caseOpen = read();
    line.watch(
      () => {
        if (this.#caseTimer !== null) this.#clock.clearTimeout(this.#caseTimer);
        this.#caseTimer = this.#clock.setTimeout(() => {
          this.#caseTimer = null;
          const open = read();
          if (open === null || open === this.#caseOpen) return;
          this.#caseOpen = open;
          this.#log.warn({ open }, open ? 'case opened' : 'case closed');
          this.emit('case', open);
        }, this.#opts.debounceMs);
      },
      (err) => this.emit('fault', err instanceof PanelError ? err : new PanelError('GPIO_IO', err.message, { cause: err })),
    );
  }

  /** Live LED timers (at most one per LED). */
  ledTimers(): number {
    return this.#leds.timers();
  }

  #releaseLines(): void {
    for (const line of [...this.#buttons.values(), ...this.#ledLines.values(), ...(this.#caseLine ? [this.#caseLine] : [])]) {
      try {
        line.close();
      } catch (err) {
        this.#log.warn({ err }, 'GPIO line close failed');
      }
    }
    this.#buttons.clear();
    this.#ledLines.clear();
    this.#caseLine = null;
  }
}
