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

/** Lines at fault are tried again this often: a loose connector or a busy pin is back within it. */
const PROBE_MS = 1000;

/**
 * Buttons and LEDs on GPIO lines. Lines are named by chip label and offset and resolved against
 * sysfs at open (chip.ts); all timing lives in ButtonLogic and LedDriver, so this class only
 * wires lines to them. A line error is emitted as `fault`, never swallowed; once every line that
 * failed has worked again (its next read or write, or the probe that retries it while any is at
 * fault) the panel emits `recovered`, once, as the reader's `reader-ready` and the sensor's
 * `attached` end their faults.
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
  /** Lines whose last read, write or watch failed ("LED GAGAL", "button SESUAI", "case switch"). */
  readonly #failing = new Set<string>();
  #probeTimer: unknown = null;
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
        const line = this.#ledLines.get(led);
        if (!line) return;
        try {
          line.write(v);
        } catch (err) {
          this.#lineFailed(`LED ${led}`, err);
          return;
        }
        this.#lineWorked(`LED ${led}`);
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
      read: (b) => this.#readButton(b),
      onReadError: (b, err) => this.#lineFailed(`button ${b}`, err),
      emit: (input) => {
        this.#log.debug({ input }, 'panel input');
        this.emit('input', input);
      },
    });
    logic.prime(BUTTONS);
    for (const [b, line] of this.#buttons) {
      line.watch(
        () => logic.edge(b),
        (err) => this.#lineFailed(`button ${b}`, err),
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
    if (this.#probeTimer !== null) this.#clock.clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    this.#failing.clear();
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
    this.#caseOpen = this.#readCase();
    line.watch(
      () => {
        if (this.#caseTimer !== null) this.#clock.clearTimeout(this.#caseTimer);
        this.#caseTimer = this.#clock.setTimeout(() => {
          this.#caseTimer = null;
          this.#settleCase();
        }, this.#opts.debounceMs);
      },
      (err) => this.#lineFailed('case switch', err),
    );
  }

  /** Whether the lid is lifted; null when the line could not be read (a fault, not a change). */
  #readCase(): boolean | null {
    const line = this.#caseLine;
    if (!line) return null;
    try {
      const open = line.read() === 0;
      this.#lineWorked('case switch');
      return open;
    } catch (err) {
      this.#lineFailed('case switch', err);
      return null;
    }
  }

  #settleCase(): void {
    const open = this.#readCase();
    if (open === null || open === this.#caseOpen) return;
    this.#caseOpen = open;
    this.#log.warn({ open }, open ? 'case opened' : 'case closed');
    this.emit('case', open);
  }

  #readButton(b: ButtonName): 0 | 1 {
    const line = this.#buttons.get(b);
    if (!line) return 0;
    // A throw goes to ButtonLogic's onReadError: the button keeps its last believed level.
    const v = line.read();
    this.#lineWorked(`button ${b}`);
    return v;
  }

  /** One line failed: `fault` each time (the agent reports a fault once), and the probe runs. */
  #lineFailed(what: string, err: unknown): void {
    this.#failing.add(what);
    this.emit('fault', err instanceof PanelError ? err : new PanelError('GPIO_IO', `${what}: ${(err as Error).message}`, { cause: err }));
    this.#scheduleProbe();
  }

  /** A line worked; when it was the last one at fault, the panel has recovered. */
  #lineWorked(what: string): void {
    if (!this.#failing.delete(what) || this.#failing.size > 0) return;
    if (this.#probeTimer !== null) this.#clock.clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    this.#log.info({ line: what }, 'panel lines work again');
    this.emit('recovered');
  }

  /**
   * While any line is at fault, try each failed one again every PROBE_MS: a button is read, an
   * LED rewritten with its pattern, the case switch re-read (a change missed meanwhile counts).
   * Without it a steady LED or an idle button would never show that the line came back.
   */
  #scheduleProbe(): void {
    if (this.#probeTimer !== null) return;
    this.#probeTimer = this.#clock.setTimeout(() => {
      this.#probeTimer = null;
      for (const what of [...this.#failing]) {
        const [kind, name] = what.split(' ') as [string, string];
        if (kind === 'LED') this.#leds.set(name as LedName, this.#leds.get(name as LedName));
        else if (kind === 'button') {
          try {
            this.#readButton(name as ButtonName);
          } catch {
            // Still failing: stays in the set; the next probe tries again.
          }
        } else this.#settleCase();
      }
      if (this.#failing.size > 0) this.#scheduleProbe();
    }, PROBE_MS);
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
