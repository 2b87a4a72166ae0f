import type { Display } from '../../drivers/display/types.ts';
import type { Logger } from '../../drivers/logger.ts';
import { operatorMessage } from '../operatorMessages.ts';
import type { TxState } from '../transaction/states.ts';
import { screenLines, type ScreenView } from './screen.ts';

/** What the presenter listens to: the runner's state and notices, the print queue's faults. */
export interface ScreenSources {
  current(): TxState;
  waiting(): number;
  readonly maxAttempts: number;
}

/**
 * Keeps the operator display in step with the counter: every state change, notice and device
 * fault redraws the screen. A notice lasts until the state changes; a device fault (printer,
 * display) lasts until its `recovered`. The display is best effort: a failed write is logged once
 * per code and never reaches the transaction, whose LEDs still work.
 */
export class DisplayPresenter {
  private notice: string | null = null;
  private fault: string | null = null;
  private lastError: string | null = null;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly display: Display,
    private readonly sources: ScreenSources,
    private readonly log: Logger,
  ) {}

  /** The runner entered `state`: notices of the previous state no longer apply. */
  onState(): void {
    this.notice = null;
    this.redraw();
  }

  onNotice(code: string): void {
    this.notice = code;
    this.redraw();
  }

  onFault(code: string): void {
    this.fault = code;
    this.redraw();
  }

  onRecovered(): void {
    this.fault = null;
    this.redraw();
  }

  get columns(): number {
    return this.display.columns;
  }

  /** The screen as it should be now (also what the keyboard console prints). */
  lines(): string[] {
    const code = this.notice ?? this.fault;
    const view: ScreenView = {
      state: this.sources.current(),
      waiting: this.sources.waiting(),
      maxAttempts: this.sources.maxAttempts,
      message: code ? { code, text: operatorMessage(code).text } : null,
    };
    return screenLines(view, this.display.columns, this.display.rows);
  }

  /** Resolves when every redraw asked for so far has been written (tests, shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** The code of the last failed write, null when the display shows what it should. */
  displayFault(): string | null {
    return this.lastError;
  }

  /** Waits for pending writes, then blanks and closes the display; later redraws do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    await this.display.close();
  }

  redraw(): void {
    if (this.closed) return;
    const lines = this.lines();
    this.pending = this.pending.then(() =>
      // Opened here, not at start-up: a display that is unplugged at boot or after a fault comes
      // back on the next redraw once it answers again, and never stops the counter from starting.
      this.display
        .open()
        .then(() => this.display.show(lines))
        .then(
        () => {
          this.lastError = null;
        },
        (err: unknown) => {
          const code = (err as { code?: string }).code ?? 'DISPLAY_IO';
          if (code !== this.lastError) this.log.error({ err, code }, 'operator display write failed');
          this.lastError = code;
        },
      ),
    );
  }
}
