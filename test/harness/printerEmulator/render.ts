import { writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { DecodedDoc } from './decoder.ts';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font.ts';

/** Font A on a 203 dpi head: 12x24 dot cells, 30-dot line pitch (ESC 2 default is close to it). */
const CELL_W = 12;
const CELL_H = 24;
const LINE_PITCH = 30;
const MARGIN = 16;
const INK = 0x22;
const PAPER = 0xff;

/**
 * Draws a decoded slip the way the head would: one pixel per dot at 203 dpi, glyphs from the
 * built-in font scaled into font A cells, QR codes re-encoded with `qrcode` from the GS ( k data
 * the printer stored, a dashed line for the cut and a torn edge where the paper ran out.
 */
export function renderDocPng(doc: DecodedDoc, columns: number): Buffer {
  const width = columns * CELL_W + 2 * MARGIN;
  const blocks = doc.lines.map((line) => {
    if (line.kind === 'text') return { line, h: LINE_PITCH * line.height };
    const qr = QRCode.create(line.data, { errorCorrectionLevel: line.ecc });
    return { line, qr, h: qr.modules.size * line.cellSize + 2 * line.cellSize };
  });
  const height = MARGIN + blocks.reduce((s, b) => s + b.h, 0) + 24;
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data.fill(PAPER);
  const dot = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) << 2;
    png.data[o] = png.data[o + 1] = png.data[o + 2] = INK;
    png.data[o + 3] = 0xff;
  };
  const rect = (x: number, y: number, w: number, h: number) => {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) dot(xx, yy);
  };

  let y = MARGIN;
  for (const block of blocks) {
    const line = block.line;
    if (line.kind === 'text') {
      const cw = CELL_W * line.width;
      const cells = Math.floor(columns / line.width);
      const room = Math.max(0, cells - line.text.length);
      const start = line.align === 'center' ? Math.floor(room / 2) : line.align === 'right' ? room : 0;
      const sx = 2 * line.width;
      const sy = (CELL_H / GLYPH_HEIGHT) * line.height;
      for (let k = 0; k < line.text.length; k++) {
        const bits = glyph(line.text.charCodeAt(k));
        const x0 = MARGIN + (start + k) * cw + line.width;
        for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
          for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
            if (!bits[gy * GLYPH_WIDTH + gx]) continue;
            rect(x0 + gx * sx, y + gy * sy, sx + (line.bold ? line.width : 0), sy);
          }
        }
      }
    } else if (block.qr) {
      const size = block.qr.modules.size;
      const cell = line.cellSize;
      const room = columns * CELL_W - size * cell;
      const x0 = MARGIN + (line.align === 'center' ? Math.floor(room / 2) : line.align === 'right' ? room : 0);
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) {
          if (block.qr.modules.data[r * size + c]) rect(x0 + c * cell, y + cell + r * cell, cell, cell);
        }
      }
    }
    y += block.h;
  }
  y += 8;
  if (doc.complete) {
    for (let x = 0; x < width; x += 12) rect(x, y, 7, 2);
  } else {
    // Torn edge: the roll ended here, no cut.
    for (let x = 0; x < width; x++) {
      const t = Math.abs((x % 16) - 8);
      rect(x, y + t, 1, height - y - t);
    }
  }
  return PNG.sync.write(png, { colorType: 0 });
}

export async function writeDocPng(doc: DecodedDoc, columns: number, path: string): Promise<void> {
  await writeFile(path, renderDocPng(doc, columns));
}
