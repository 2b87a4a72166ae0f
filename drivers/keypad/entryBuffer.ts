import { keyAction } from './keymap.ts';
import { MAX_ENTRY_LENGTH } from './types.ts';

export type EntryResult = { readonly kind: 'entry'; readonly text: string } | { readonly kind: 'typing'; readonly length: number } | { readonly kind: 'overflow' } | null;

/** Turns key presses into entries; shared by the evdev driver and the simulator. */
export class EntryBuffer {
  private text = '';

  key(code: number): EntryResult {
    const a = keyAction(code);
    if (!a) return null;
    switch (a.kind) {
      case 'enter': {
        const text = this.text;
        this.text = '';
        return text === '' ? null : { kind: 'entry', text };
      }
      case 'backspace':
        this.text = this.text.slice(0, -1);
        return { kind: 'typing', length: this.text.length };
      case 'clear':
        this.text = '';
        return { kind: 'typing', length: 0 };
      case 'char':
        if (this.text.length >= MAX_ENTRY_LENGTH) {
          this.text = '';
          return { kind: 'overflow' };
        }
        this.text += a.char;
        return { kind: 'typing', length: this.text.length };
    }
  }
}
