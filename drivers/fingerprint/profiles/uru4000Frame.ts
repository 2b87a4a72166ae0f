/**
 * The U.are.U 4000B/4500 frame: a 64-byte header, then up to 290 lines of 384 pixels. The header
 * (little-endian) holds the line count at byte 4, the scrambling key number at byte 6 and, from
 * byte 16, fifteen (flags, lines) block entries. Some firmware scrambles blocks with a 32-bit LFSR
 * keystream whose key the host fetches per key number. Layout and keystream per libfprint
 * `drivers/uru4000.c` (struct uru4k_image, update_key, do_decode, calc_dev2); this file is pure so
 * the parser is unit-tested without a device.
 */
import type { FingerImage } from '../types.ts';
import { SensorError } from '../types.ts';

export const WIDTH = 384;
export const HEIGHT = 290;
export const HEADER_BYTES = 64;
export const FRAME_BYTES = HEADER_BYTES + WIDTH * HEIGHT;
/** DigitalPersona's data sheet gives 512 dpi for the 4000B and 4500. */
export const DPI = 512;

export const BLOCK = { CHANGE_KEY: 0x80, NO_KEY_UPDATE: 0x04, SCRAMBLED: 0x02, NOT_PRESENT: 0x01 } as const;
const BLOCK_COUNT = 15;
const BLOCK_TABLE_OFFSET = 16;
/** Below this "noise" measure of the first two lines a frame is plain (libfprint ENC_THRESHOLD). */
const SCRAMBLE_THRESHOLD = 5000;
const LFSR_TAPS = 0x9248144d;

/** Fetches the descrambling key for a key number from the sensor. */
export type KeySource = (keyNumber: number) => Promise<number>;

interface Block {
  readonly flags: number;
  readonly lines: number;
}

export async function decodeUru4000Frame(raw: Uint8Array, keys: KeySource): Promise<FingerImage> {
  if (raw.length < HEADER_BYTES) throw badFrame(`frame of ${raw.length} bytes is shorter than its header`, raw.length);
  const numLines = raw[4]! | (raw[5]! << 8);
  if (numLines < 2 || numLines >= HEIGHT) throw badFrame(`header announces ${numLines} lines`, raw.length);
  const blocks = readBlocks(raw, numLines);
  const presentLines = blocks.reduce((n, b) => n + (b.flags & BLOCK.NOT_PRESENT ? 0 : b.lines), 0);
  const shownLines = blocks.reduce((n, b) => n + b.lines, 0);
  if (presentLines < numLines || shownLines > HEIGHT) {
    throw badFrame(`block table covers ${presentLines} of ${numLines} lines`, raw.length);
  }
  if (raw.length < HEADER_BYTES + presentLines * WIDTH) {
    throw badFrame(`frame of ${raw.length} bytes is short for ${presentLines} lines`, raw.length);
  }

  const data = raw.slice(HEADER_BYTES, HEADER_BYTES + presentLines * WIDTH);
  try {
    if (scrambleMeasure(data) >= SCRAMBLE_THRESHOLD) await descramble(data, blocks, raw[6]!, keys);
    return assemble(data, blocks);
  } finally {
    data.fill(0);
  }
}

/** Blocks up to the first empty entry or until the announced lines are covered. */
function readBlocks(raw: Uint8Array, numLines: number): Block[] {
  const blocks: Block[] = [];
  let present = 0;
  for (let i = 0; i < BLOCK_COUNT && present < numLines; i++) {
    const flags = raw[BLOCK_TABLE_OFFSET + 2 * i]!;
    const lines = raw[BLOCK_TABLE_OFFSET + 2 * i + 1]!;
    if (lines === 0) break;
    blocks.push({ flags, lines });
    if (!(flags & BLOCK.NOT_PRESENT)) present += lines;
  }
  return blocks;
}

/**
 * Variance of the sum of the first two lines. Real frames start smooth; scrambled bytes are
 * near-uniform noise, far above the threshold.
 */
export function scrambleMeasure(data: Uint8Array): number {
  let mean = 0;
  for (let x = 0; x < WIDTH; x++) mean += data[x]! + data[WIDTH + x]!;
  mean = Math.trunc(mean / WIDTH);
  let sum = 0;
  for (let x = 0; x < WIDTH; x++) {
    const d = data[x]! + data[WIDTH + x]! - mean;
    sum += d * d;
  }
  return Math.trunc(sum / WIDTH);
}

async function descramble(data: Uint8Array, blocks: readonly Block[], firstKeyNumber: number, keys: KeySource): Promise<void> {
  let keyNumber = firstKeyNumber;
  let key = await keys(keyNumber);
  let line = 0;
  for (const block of blocks) {
    if (block.flags & BLOCK.CHANGE_KEY) {
      keyNumber = (keyNumber + 1) & 0xff;
      key = await keys(keyNumber);
    }
    const bytes = block.lines * WIDTH;
    const mode = block.flags & (BLOCK.NO_KEY_UPDATE | BLOCK.SCRAMBLED);
    if (mode === BLOCK.SCRAMBLED) key = unscramble(data, line * WIDTH, bytes, key);
    else if (mode === 0) key = advanceKey(key, bytes);
    if (!(block.flags & BLOCK.NOT_PRESENT)) line += block.lines;
  }
}

/** One LFSR step: shift right, the parity of the tapped bits enters at bit 31. */
export function nextKey(key: number): number {
  let v = key & LFSR_TAPS;
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  const parity = (0x6996 >>> (v & 0xf)) & 1;
  return ((parity << 31) | (key >>> 1)) >>> 0;
}

export function keystreamByte(key: number): number {
  return (
    ((key >>> 4) & 1) |
    (((key >>> 8) & 1) << 1) |
    (((key >>> 11) & 1) << 2) |
    (((key >>> 14) & 1) << 3) |
    (((key >>> 18) & 1) << 4) |
    (((key >>> 21) & 1) << 5) |
    (((key >>> 24) & 1) << 6) |
    (((key >>> 29) & 1) << 7)
  );
}

function advanceKey(key: number, steps: number): number {
  let k = key;
  for (let i = 0; i < steps; i++) k = nextKey(k);
  return k;
}

/**
 * The scrambled bytes run one position late: plain byte i is scrambled byte i+1, and the block's
 * last plain byte is not transmitted (it reads as zero).
 */
function unscramble(data: Uint8Array, offset: number, length: number, key: number): number {
  if (offset + length > data.length) throw badFrame('scrambled block runs past the frame', data.length);
  let k = key;
  for (let i = 0; i < length - 1; i++) {
    const x = keystreamByte(k);
    k = nextKey(k);
    data[offset + i] = data[offset + i + 1]! ^ x;
  }
  data[offset + length - 1] = 0;
  return nextKey(k);
}

/**
 * Lays the blocks out on the 384x290 canvas. A not-present block repeats the following lines,
 * as libfprint does. The sensor delivers light ridges upside down, so the result is inverted and
 * turned by 180 degrees to give dark ridges, upright.
 */
function assemble(data: Uint8Array, blocks: readonly Block[]): FingerImage {
  const canvas = new Uint8Array(WIDTH * HEIGHT);
  let from = 0;
  let to = 0;
  for (const block of blocks) {
    const bytes = block.lines * WIDTH;
    canvas.set(data.subarray(from * WIDTH, Math.min(data.length, from * WIDTH + bytes)), to * WIDTH);
    if (!(block.flags & BLOCK.NOT_PRESENT)) from += block.lines;
    to += block.lines;
  }
  const pixels = new Uint8Array(WIDTH * HEIGHT);
  const last = pixels.length - 1;
  for (let i = 0; i <= last; i++) pixels[i] = 255 - canvas[last - i]!;
  canvas.fill(0);
  return { width: WIDTH, height: HEIGHT, dpi: DPI, pixels };
}

function badFrame(message: string, length: number): SensorError {
  return new SensorError('BAD_FRAME', `uru4000: ${message}`, { retryable: true, detail: { length } });
}
