import { toAscii } from './ascii.ts';
import type { SlipDocument, SlipLine } from './types.ts';

/**
 * The one place where slip lines become physical printer lines. The ESC/POS driver prints
 * exactly these lines (it pads and wraps here instead of trusting each model's ESC a and line
 * folding), the simulator keeps them, and the emulator's decoder turns printed bytes back into the
 * same shape, so a test can compare "what the slip says" with "what came out of the printer".
 */
export type LaidLine =
  | { readonly kind: 'text'; readonly text: string; readonly bold: boolean; readonly size: 1 | 2 | 3 }
  | { readonly kind: 'qr'; readonly data: string };

export const SUPPORTED_COLUMNS = [32, 48] as const;

export function layoutDoc(doc: SlipDocument, columns: number): LaidLine[] {
  const out: LaidLine[] = [];
  for (const line of doc.lines) out.push(...layoutLine(line, columns));
  return out;
}

/**
 * Text form of a document, one string per printed line. Double-size glyphs take two cells (triple
 * three), so they are shown letter-spaced ("A 0 1 2") to keep the text as wide as the paper; a QR code is
 * shown as `[QR <data>]`. Trailing blanks are dropped.
 */
export function renderText(doc: SlipDocument, columns: number): string[] {
  return layoutDoc(doc, columns).map((l) => laidLineText(l, columns));
}

export function laidLineText(line: LaidLine, columns: number): string {
  if (line.kind === 'qr') return pad(`[QR ${line.data}]`, columns, 'center').trimEnd();
  const text = line.size > 1 ? [...line.text].map((c) => c + ' '.repeat(line.size - 1)).join('') : line.text;
  return text.trimEnd();
}

function layoutLine(line: SlipLine, columns: number): LaidLine[] {
  switch (line.kind) {
    case 'text': {
      const size = line.size ?? 1;
      const width = Math.floor(columns / size);
      const bold = line.bold ?? false;
      return wrap(toAscii(line.text), width, line.hang ?? 0).map((t) => ({
        kind: 'text',
        text: pad(t, width, line.align ?? 'left').trimEnd(),
        bold,
        size,
      }));
    }
    case 'pair':
      return pair(toAscii(line.left), toAscii(line.right), columns).map(plain);
    case 'field':
      return field(toAscii(line.label), toAscii(line.value), line.labelWidth ?? (columns >= 48 ? 17 : 10), columns).map(
        plain,
      );
    case 'rule':
      return [plain((line.char ?? '-').repeat(columns))];
    case 'qr':
      return [{ kind: 'qr', data: toAscii(line.data) }];
    case 'feed':
      return Array.from({ length: Math.max(0, Math.min(line.lines, 10)) }, () => plain(''));
  }
}

function plain(text: string): LaidLine {
  return { kind: 'text', text: text.trimEnd(), bold: false, size: 1 };
}

function pad(text: string, width: number, align: 'left' | 'center' | 'right'): string {
  const room = Math.max(0, width - text.length);
  if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text;
  if (align === 'right') return ' '.repeat(room) + text;
  return text;
}

function pair(left: string, right: string, columns: number): string[] {
  if (left.length + right.length + 1 <= columns) {
    return [left + ' '.repeat(columns - left.length - right.length) + right];
  }
  // Too long for one line: the label wraps, the value goes right-aligned underneath.
  return [...wrap(left, columns), ...wrap(right, columns).map((r) => pad(r, columns, 'right'))];
}

function field(label: string, value: string, labelWidth: number, columns: number): string[] {
  const lw = Math.min(labelWidth, columns - 8);
  const indent = lw + 2;
  const valueLines = wrap(value, columns - indent);
  const head = label.length <= lw ? [label.padEnd(lw) + ': ' + (valueLines.shift() ?? '')] : [label];
  return [...head, ...valueLines.map((v) => ' '.repeat(indent) + v)];
}

/**
 * Greedy word wrap. Leading blanks are kept (they indent the whole paragraph); continuation lines
 * are indented by `hang` more. A word longer than the line breaks after its last '-' that fits
 * (transaction ids are UUIDs), else hard. Empty text is one empty line.
 */
export function wrap(text: string, width: number, hang = 0): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const start = lines.length;
    const lead = /^ */.exec(paragraph)?.[0] ?? '';
    const words = paragraph.slice(lead.length).split(' ');
    let prefix = lead.length < width ? lead : '';
    let current = '';
    const flush = () => {
      lines.push(prefix + current);
      current = '';
      prefix = ' '.repeat(Math.min(lead.length + hang, Math.max(0, width - 8)));
    };
    for (const word of words) {
      let w = word;
      let room = width - prefix.length;
      while (w.length > room) {
        if (current) {
          flush();
          room = width - prefix.length;
          continue;
        }
        const dash = w.lastIndexOf('-', room - 1);
        const cut = dash > 0 ? dash + 1 : room;
        current = w.slice(0, cut);
        w = w.slice(cut);
        flush();
        room = width - prefix.length;
      }
      if (!current) current = w;
      else if (prefix.length + current.length + 1 + w.length <= width) current += ' ' + w;
      else {
        flush();
        current = w;
      }
    }
    if (current || lines.length === start) lines.push(prefix + current);
  }
  return lines;
}
