import { laidLineText } from '../../../drivers/printer/layout.ts';

export interface EmulatorState {
  readonly paperOut: boolean;
  readonly nearEnd: boolean;
  readonly coverOpen: boolean;
  readonly offline: boolean;
  readonly cutterError: boolean;
  /** Ignore DLE EOT entirely, like a printer whose reverse channel is dead. */
  readonly unresponsive: boolean;
}

export type DecodedLine =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly bold: boolean;
      readonly width: number;
      readonly height: number;
      readonly align: 'left' | 'center' | 'right';
      /** Blank line made by a feed command (ESC d / ESC J), not by a printed LF. */
      readonly feed: boolean;
    }
  | {
      readonly kind: 'qr';
      readonly data: string;
      readonly cellSize: number;
      readonly ecc: 'L' | 'M' | 'Q' | 'H';
      readonly align: 'left' | 'center' | 'right';
    };

/** One piece of paper: everything up to a cut, or up to where the roll ran out. */
export interface DecodedDoc {
  readonly lines: readonly DecodedLine[];
  /** False when the paper ran out before the cut: the slip was cut short. */
  readonly complete: boolean;
  /** Last ESC t table selected, null if the job never chose one. */
  readonly codePage: number | null;
}

const ALIGN = ['left', 'center', 'right'] as const;
const ECC: Record<number, 'L' | 'M' | 'Q' | 'H'> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

/**
 * Streaming ESC/POS interpreter for the emulator. Commands may arrive split across TCP chunks, so
 * an incomplete command waits for more bytes. Real-time DLE EOT is answered even while the
 * printer is faulted; everything else is dropped while faulted, as a printer with no paper or an
 * open cover prints nothing.
 */
export class EscPosDecoder {
  state: EmulatorState = { paperOut: false, nearEnd: false, coverOpen: false, offline: false, cutterError: false, unresponsive: false };
  readonly docs: DecodedDoc[] = [];
  readonly unknown: string[] = [];
  #pending = Buffer.alloc(0);
  #lines: DecodedLine[] = [];
  #text = '';
  #bold = false;
  #width = 1;
  #height = 1;
  #align: 'left' | 'center' | 'right' = 'left';
  #codePage: number | null = null;
  #qr = { data: '', cellSize: 3, ecc: 'M' as 'L' | 'M' | 'Q' | 'H' };
  #afterQr = false;
  #linesLeft: number | null = null;

  /** The roll ends after `lines` more printed lines. */
  paperOutAfterLines(lines: number): void {
    this.#linesLeft = lines;
  }

  get faulted(): boolean {
    const s = this.state;
    return s.paperOut || s.coverOpen || s.offline || s.cutterError;
  }

  /** Feeds received bytes; returns the bytes to send back (status replies). */
  feed(chunk: Buffer): Buffer {
    const data = Buffer.concat([this.#pending, chunk]);
    const replies: number[] = [];
    let i = 0;
    while (i < data.length) {
      const used = this.#command(data, i, replies);
      if (used === 0) break; // incomplete: wait for more bytes
      i += used;
    }
    this.#pending = Buffer.from(data.subarray(i));
    return Buffer.from(replies);
  }

  statusByte(n: number): number {
    const s = this.state;
    const down = this.faulted;
    switch (n) {
      case 1:
        return 0x12 | (down ? 0x08 : 0);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.cutterError ? 0x40 : 0);
      case 3:
        return 0x12 | (s.cutterError ? 0x08 : 0);
      default:
        return 0x12 | (s.nearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    }
  }

  /** Length of the command at `i` (0 = incomplete), applying its effect. */
  #command(d: Buffer, i: number, replies: number[]): number {
    const b = d[i];
    const need = (n: number) => (d.length - i >= n ? n : 0);
    if (b === 0x10) {
      if (!need(3)) return 0;
      if (d[i + 1] === 0x04) {
        if (!this.state.unresponsive) replies.push(this.statusByte(d[i + 2]));
        return 3;
      }
      if (d[i + 1] === 0x14) return need(5);
      this.unknown.push(`DLE 0x${d[i + 1].toString(16)}`);
      return 2;
    }
    if (b === 0x1b) return this.#esc(d, i, need);
    if (b === 0x1d) return this.#gs(d, i, need);
    if (b === 0x1c) return need(2);
    if (b === 0x0a) {
      if (this.#afterQr && this.#text === '') this.#afterQr = false;
      else this.#endLine(false);
      return 1;
    }
    if (b >= 0x20) {
      this.#afterQr = false;
      if (!this.faulted) this.#text += String.fromCharCode(b);
    }
    return 1;
  }

  #esc(d: Buffer, i: number, need: (n: number) => number): number {
    if (!need(2)) return 0;
    const c = String.fromCharCode(d[i + 1]);
    if (c === '@') {
      this.#resetModes();
      return 2;
    }
    if (c === '2') return 2;
    if ('t!EGaMdJ3-{R'.includes(c)) {
      if (!need(3)) return 0;
      const n = d[i + 2];
      if (this.faulted) return 3;
      if (c === 't') this.#codePage = n;
      else if (c === '!') {
        this.#bold = (n & 0x08) !== 0;
        this.#height = n & 0x10 ? 2 : 1;
        this.#width = n & 0x20 ? 2 : 1;
      } else if (c === 'E' || c === 'G') this.#bold = (n & 1) === 1;
      else if (c === 'a') this.#align = ALIGN[n % 48] ?? 'left';
      else if (c === 'd') for (let k = 0; k < n; k++) this.#endLine(true);
      return 3;
    }
    if (c === 'p') return need(5);
    this.unknown.push(`ESC ${c}`);
    return 2;
  }

  #gs(d: Buffer, i: number, need: (n: number) => number): number {
    if (!need(2)) return 0;
    const c = String.fromCharCode(d[i + 1]);
    if (c === 'V') {
      if (!need(3)) return 0;
      const m = d[i + 2];
      const len = m === 65 || m === 66 ? 4 : 3;
      if (!need(len)) return 0;
      if (!this.faulted) this.#cut(true);
      return len;
    }
    if (c === '(') {
      if (!need(5)) return 0;
      const len = 5 + d[i + 3] + d[i + 4] * 256;
      if (!need(len)) return 0;
      if (d[i + 2] === 0x6b && !this.faulted) this.#qrCommand(d.subarray(i + 5, i + len));
      return len;
    }
    if (c === '!') {
      if (!need(3)) return 0;
      if (!this.faulted) {
        this.#width = ((d[i + 2] >> 4) & 7) + 1;
        this.#height = (d[i + 2] & 7) + 1;
      }
      return 3;
    }
    if ('BrhwHfa'.includes(c)) return need(3);
    if (c === 'L' || c === 'W') return need(4);
    this.unknown.push(`GS ${c}`);
    return 2;
  }

  /** GS ( k body after pL pH: cn fn [params]. Only QR (cn 49) is kept. */
  #qrCommand(body: Buffer): void {
    const [cn, fn] = body;
    if (cn !== 0x31) return;
    if (fn === 0x43) this.#qr.cellSize = body[2];
    else if (fn === 0x45) this.#qr.ecc = ECC[body[2]] ?? 'M';
    else if (fn === 0x50) this.#qr.data = body.subarray(3).toString('latin1');
    else if (fn === 0x51) {
      if (this.#text) this.#endLine(false);
      this.#lines.push({ kind: 'qr', data: this.#qr.data, cellSize: this.#qr.cellSize, ecc: this.#qr.ecc, align: this.#align });
      this.#afterQr = true;
      this.#countLine();
    }
  }

  #endLine(feed: boolean): void {
    if (this.faulted) return;
    this.#lines.push({
      kind: 'text',
      text: this.#text,
      bold: this.#bold,
      width: this.#width,
      height: this.#height,
      align: this.#align,
      feed,
    });
    this.#text = '';
    this.#countLine();
  }

  #countLine(): void {
    if (this.#linesLeft === null) return;
    this.#linesLeft -= 1;
    if (this.#linesLeft > 0) return;
    this.#linesLeft = null;
    this.state = { ...this.state, paperOut: true };
    this.#cut(false);
  }

  #cut(complete: boolean): void {
    if (this.#text) this.#endLine(false);
    if (this.#lines.length === 0 && complete) return;
    this.docs.push({ lines: this.#lines, complete, codePage: this.#codePage });
    this.#lines = [];
    this.#text = '';
  }

  #resetModes(): void {
    this.#bold = false;
    this.#width = 1;
    this.#height = 1;
    this.#align = 'left';
    this.#codePage = null;
  }
}

/**
 * A decoded slip as text lines in the form of layout.ts `renderText`, so a test compares what the
 * printer printed with what the layout meant. Trailing feeds (the cut's paper advance) are dropped.
 */
export function decodedText(doc: DecodedDoc, columns: number): string[] {
  const lines = [...doc.lines];
  while (lines.length > 0) {
    const last = lines[lines.length - 1];
    if (last.kind === 'text' && last.feed && last.text === '') lines.pop();
    else break;
  }
  return lines.map((l) => {
    if (l.kind === 'qr') return laidLineText({ kind: 'qr', data: l.data }, columns);
    const size = Math.min(3, Math.max(1, l.width)) as 1 | 2 | 3;
    const cells = Math.floor(columns / size);
    const room = Math.max(0, cells - l.text.length);
    const pad = l.align === 'center' ? Math.floor(room / 2) : l.align === 'right' ? room : 0;
    return laidLineText({ kind: 'text', text: ' '.repeat(pad) + l.text, bold: l.bold, size }, columns);
  });
}
