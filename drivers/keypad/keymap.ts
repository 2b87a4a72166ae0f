/**
 * Linux key codes (include/uapi/linux/input-event-codes.h) a numeric keypad sends, and what they
 * mean for an entry. Both the keypad block and the top-row digits are accepted: a cheap keypad
 * with NumLock off, or a full keyboard plugged in by mistake, still types digits.
 */
export const EV_KEY = 1;
export const KEY_PRESS = 1;
export const KEY_REPEAT = 2;

export type KeyAction = { readonly kind: 'char'; readonly char: string } | { readonly kind: 'enter' } | { readonly kind: 'backspace' } | { readonly kind: 'clear' };

const chars: Record<number, string> = {
  // keypad block
  82: '0', 79: '1', 80: '2', 81: '3', 75: '4', 76: '5', 77: '6', 71: '7', 72: '8', 73: '9',
  98: '/', 74: '-', 83: '.', 55: '*', 78: '+',
  // top row
  11: '0', 2: '1', 3: '2', 4: '3', 5: '4', 6: '5', 7: '6', 8: '7', 9: '8', 10: '9', 53: '/', 12: '-', 52: '.',
};

export const KEY = { ENTER: 28, KPENTER: 96, BACKSPACE: 14, ESC: 1, NUMLOCK: 69, KP0: 82, KP1: 79, KP2: 80, KP3: 81, KP4: 75, KP5: 76, KP6: 77, KP7: 71, KP8: 72, KP9: 73, KPSLASH: 98, KPMINUS: 74 } as const;

export function keyAction(code: number): KeyAction | null {
  if (code === KEY.ENTER || code === KEY.KPENTER) return { kind: 'enter' };
  if (code === KEY.BACKSPACE) return { kind: 'backspace' };
  if (code === KEY.ESC || code === KEY.NUMLOCK) return { kind: 'clear' };
  const c = chars[code];
  return c === undefined ? null : { kind: 'char', char: c };
}

/** The key code that types `ch` on the keypad block (for tests and the simulator). */
export function keypadCode(ch: string): number {
  const entry = Object.entries(chars).find(([code, c]) => c === ch && Number(code) >= 55);
  if (!entry) throw new RangeError(`no keypad key types "${ch}"`);
  return Number(entry[0]);
}
