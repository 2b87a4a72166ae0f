/**
 * A model of an HD44780 behind a PCF8574 backpack, written from the datasheet independently of
 * drivers/display/hd44780.ts, so the tests check the driver's byte stream against the controller
 * rather than against itself. It starts as after power-on (8-bit interface), latches data on the
 * falling edge of E, and records protocol violations instead of guessing.
 */
export class Hd44780Model {
  /** DDRAM, 0x00-0x27 (line 1) and 0x40-0x67 (line 2). */
  readonly ddram = new Uint8Array(0x68).fill(0x20);
  mode: '8bit' | '4bit' = '8bit';
  displayOn = false;
  backlight = false;
  lines = 1;
  addressIncrement = true;
  readonly commands: number[] = [];
  readonly violations: string[] = [];
  private address = 0;
  private last = 0;
  private high: number | null = null;
  /** Count of 0x3 nibbles seen while in 8-bit mode (the reset-by-instruction sequence). */
  private resetNibbles = 0;

  /** Feeds the bytes of one I2C write transaction. */
  write(bytes: Iterable<number>): void {
    for (const b of bytes) this.port(b);
  }

  private port(b: number): void {
    const e = (b & 0x04) !== 0;
    const wasE = (this.last & 0x04) !== 0;
    if (b & 0x02) this.violations.push('RW high: the backpack must only write');
    this.backlight = (b & 0x08) !== 0;
    // RS and data must be stable when E rises (tAS) and until it falls (tH).
    if (e && !wasE && (b & 0xf3) !== (this.last & 0xf3)) this.violations.push(`RS/data changed with E rising (0x${b.toString(16)})`);
    if (!e && wasE) {
      if ((b & 0xf3) !== (this.last & 0xf3)) this.violations.push(`RS/data changed with E falling (0x${b.toString(16)})`);
      this.latch((this.last & 0x01) !== 0, this.last >> 4);
    }
    this.last = b;
  }

  private latch(rs: boolean, nibble: number): void {
    if (this.mode === '8bit') {
      // On a 4-bit wiring D0-D3 float; only the function-set high nibble means anything.
      if (rs) return void this.violations.push('data written before 4-bit mode was set');
      if (nibble === 0x3) this.resetNibbles += 1;
      else if (nibble === 0x2) {
        if (this.resetNibbles < 3) this.violations.push(`4-bit mode set after ${this.resetNibbles} reset nibbles (3 needed)`);
        this.mode = '4bit';
      } else this.violations.push(`unexpected nibble 0x${nibble.toString(16)} in 8-bit mode`);
      return;
    }
    if (this.high === null) {
      this.high = nibble;
      return;
    }
    const value = (this.high << 4) | nibble;
    this.high = null;
    if (rs) {
      this.ddram[this.address] = value;
      this.address = this.addressIncrement ? this.next(this.address) : this.address;
      return;
    }
    this.commands.push(value);
    if (value & 0x80) this.address = value & 0x7f;
    else if (value & 0x20) this.lines = value & 0x08 ? 2 : 1;
    else if (value & 0x08) this.displayOn = (value & 0x04) !== 0;
    else if (value & 0x04) this.addressIncrement = (value & 0x02) !== 0;
    else if (value === 0x01) {
      this.ddram.fill(0x20);
      this.address = 0;
    }
  }

  private next(a: number): number {
    if (this.lines === 2) return a === 0x27 ? 0x40 : a === 0x67 ? 0x00 : a + 1;
    return (a + 1) % 0x50;
  }

  /** The text a 4-row module of `columns` shows (rows 2 and 3 continue rows 0 and 1 in DDRAM). */
  screen(columns: number, rows: number): string[] {
    const starts = [0x00, 0x40, columns, 0x40 + columns].slice(0, rows);
    return starts.map((s) => String.fromCharCode(...this.ddram.slice(s, s + columns)));
  }
}
