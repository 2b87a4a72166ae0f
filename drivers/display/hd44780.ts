/**
 * The HD44780 command set as bytes for a PCF8574 I2C backpack, pure (no I/O), so the byte stream
 * is testable without hardware. The common backpack wires the expander's port like this:
 *
 *   P0 RS   P1 RW   P2 E   P3 backlight   P4-P7 D4-D7
 *
 * The controller runs in 4-bit mode: each byte goes as two nibbles, high first. A nibble is
 * latched on the falling edge of E, so each one is written as three expander bytes: data with E
 * low (RS settles before E rises: tAS), E high, E low again. RW stays low (write only: the
 * backpack cannot read the busy flag reliably), so the driver waits out execution times instead.
 *
 * Timing: one expander byte takes about 90 us at the PCF8574's 100 kHz bus limit, so E high
 * lasts far longer than the 450 ns minimum, and a command's last E edge is followed by at least
 * five byte times (>= 37 us even at 400 kHz) before the next command's falls. Only clear and
 * home (1.52 ms) and the power-on reset sequence need explicit pauses.
 */

export const PIN = { RS: 0x01, RW: 0x02, E: 0x04, BACKLIGHT: 0x08 } as const;

export const CMD = {
  CLEAR: 0x01,
  /** Entry mode: cursor moves right, display does not shift. */
  ENTRY_LEFT_TO_RIGHT: 0x06,
  DISPLAY_OFF: 0x08,
  /** Display on, cursor off, blink off. */
  DISPLAY_ON: 0x0c,
  /** Function set: 4-bit bus, 2 display lines (a 4-row module is two folded lines), 5x8 font. */
  FUNCTION_4BIT_2LINE: 0x28,
  SET_DDRAM: 0x80,
} as const;

/** A run of expander bytes written in one I2C transaction, then a pause before the next. */
export interface BusStep {
  readonly bytes: readonly number[];
  /** Milliseconds to wait after the write; 0 when the bus time alone is enough. */
  readonly pauseMs: number;
}

/** One 4-bit transfer: data with E low, E high, E low. */
export function nibble(value: number, rs: boolean, backlight: boolean): number[] {
  const base = ((value & 0x0f) << 4) | (rs ? PIN.RS : 0) | (backlight ? PIN.BACKLIGHT : 0);
  return [base, base | PIN.E, base];
}

/** One byte as two nibbles, high first. */
export function byte(value: number, rs: boolean, backlight: boolean): number[] {
  return [...nibble(value >> 4, rs, backlight), ...nibble(value, rs, backlight)];
}

export const command = (value: number, backlight = true): number[] => byte(value, false, backlight);

/**
 * Power-on initialisation by instruction (HD44780U datasheet, figure 24, 4-bit interface): the
 * 0x3 nibble three times with the specified pauses resynchronises the controller from any state,
 * including one left half-way through a nibble pair by a cable pulled mid-write. Then 0x2 selects
 * 4-bit mode, and the rest is ordinary two-nibble commands.
 */
export function initSequence(backlight = true): BusStep[] {
  return [
    // > 40 ms after Vcc reaches 2.7 V; the driver also waits before the first step.
    { bytes: nibble(0x3, false, backlight), pauseMs: 5 }, // > 4.1 ms
    { bytes: nibble(0x3, false, backlight), pauseMs: 1 }, // > 100 us
    { bytes: nibble(0x3, false, backlight), pauseMs: 1 },
    { bytes: nibble(0x2, false, backlight), pauseMs: 1 },
    {
      bytes: [...command(CMD.FUNCTION_4BIT_2LINE, backlight), ...command(CMD.DISPLAY_OFF, backlight), ...command(CMD.CLEAR, backlight)],
      pauseMs: 2, // clear: 1.52 ms
    },
    { bytes: [...command(CMD.ENTRY_LEFT_TO_RIGHT, backlight), ...command(CMD.DISPLAY_ON, backlight)], pauseMs: 0 },
  ];
}

/** DDRAM address of the first cell of `row`: rows 2 and 3 continue rows 0 and 1 in memory. */
export function rowAddress(row: number, columns: number): number {
  return [0x00, 0x40, columns, 0x40 + columns][row];
}

/** Moves the cursor to the start of `row` and writes `text` (already fitted, ROM codes). */
export function writeRow(row: number, text: string, columns: number, backlight = true): BusStep {
  const bytes = command(CMD.SET_DDRAM | rowAddress(row, columns), backlight);
  for (const ch of text) bytes.push(...byte(ch.charCodeAt(0), true, backlight));
  return { bytes, pauseMs: 0 };
}

export function clearScreen(backlight = true): BusStep {
  return { bytes: command(CMD.CLEAR, backlight), pauseMs: 2 };
}

/** Display off and backlight off: what a closed driver leaves behind. */
export function shutdown(): BusStep[] {
  return [clearScreen(true), { bytes: command(CMD.DISPLAY_OFF, false), pauseMs: 0 }];
}
