/**
 * Frames a sensor delivers when the capture went wrong, for the simulator's failure cases. Each
 * kind has the property the matcher's quality gate keys on:
 *   blank      no finger: background and sensor noise only          -> NO_FINGER
 *   too_light  finger barely touching / very dry: faint, broken ridges -> PRESS_HARDER
 *   too_dark   pressed hard / wet: dark, ridges merged, little contrast -> PRESS_LIGHTER
 *   smudged    latent print and grease on the platen smeared over the ridges -> CLEAN_SENSOR
 *   partial    only an edge of the finger on the sensor             -> CENTER_FINGER
 */
import { boxBlur, smoothNoise } from './field.ts';
import { impressionRng, renderCapture, resolveCapture } from './impression.ts';
import { GRAY_BACKGROUND_MAX, GRAY_BACKGROUND_MIN } from './levels.ts';
import { generateMasterPrint, MASTER_HEIGHT, MASTER_WIDTH, SYNTH_DPI } from './master.ts';
import { hash32, Rng } from './random.ts';
import type { BadFrameKind, MasterPrint } from './types.ts';
import type { GrayImage } from '../types.ts';

export function renderBadFrame(kind: BadFrameKind, seed: number, master?: MasterPrint): GrayImage {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const finger = (): MasterPrint => master ?? generateMasterPrint(hash32((Math.trunc(seed) ^ 0xbadf) >>> 0));
  switch (kind) {
    case 'blank':
      return blank(seed);
    case 'too_light':
      return capture(finger(), seed, { pressure: -0.75, contrast: 0.3, noise: 0.35 });
    case 'too_dark':
      return tooDark(finger(), seed);
    case 'smudged':
      return smudged(finger(), seed);
    case 'partial':
      return partial(finger(), seed);
    default:
      throw new RangeError(`unknown bad frame kind ${String(kind)}`);
  }
}

function capture(master: MasterPrint, seed: number, opts: Parameters<typeof resolveCapture>[2]): GrayImage {
  const rng = impressionRng(master, seed);
  return renderCapture(master, resolveCapture(master, rng, opts), rng);
}

function blank(seed: number): GrayImage {
  const rng = new Rng(hash32((Math.trunc(seed) ^ 0xb1a4) >>> 0));
  const width = MASTER_WIDTH;
  const height = MASTER_HEIGHT;
  const shading = smoothNoise(width, height, 120, rng.fork(1));
  const background = rng.range(GRAY_BACKGROUND_MIN, GRAY_BACKGROUND_MAX);
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = clampByte(background + 5 * shading[i] + 2.5 * rng.normal());
  }
  return Object.freeze({ width, height, dpi: SYNTH_DPI, pixels });
}

/**
 * Heavy, wet press: sweat fills the valleys, so the contact area turns into dark blotches with
 * only scattered light specks left of the valleys, and the frame sinks towards black.
 */
function tooDark(master: MasterPrint, seed: number): GrayImage {
  const image = capture(master, seed, { pressure: 1, contrast: 1, noise: 0.2, distortion: 0.8 });
  const { width, height } = image;
  const rng = new Rng(hash32((Math.trunc(seed) ^ 0xda4c) >>> 0));
  const src = Float32Array.from(image.pixels);
  const flooded = boxBlur(src, width, height, 3, 2);
  const blotch = smoothNoise(width, height, 4, rng.fork(1));
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const v = src[i];
    if (flooded[i] > 215) {
      pixels[i] = clampByte(v);
      continue;
    }
    // Valleys are half flooded: mix the pixel with the darker of it and its neighbourhood, then
    // sink everything into the bottom of the range.
    const wet = 0.5 * v + 0.5 * Math.min(v, flooded[i] - 20);
    pixels[i] = clampByte(16 + 0.3 * wet + 16 * blotch[i] + 3 * rng.normal());
  }
  return Object.freeze({ ...image, pixels });
}

/**
 * A print seen through grease on the platen: a blotchy smear covers the whole finger, blurring
 * the ridges away and darkening it unevenly.
 */
function smudged(master: MasterPrint, seed: number): GrayImage {
  const image = capture(master, seed, { pressure: 0.3, noise: 0.3 });
  const { width, height } = image;
  const rng = new Rng(hash32((Math.trunc(seed) ^ 0x5a0d) >>> 0));
  const src = Float32Array.from(image.pixels);
  // A 9-px box is about one ridge period wide, so it cancels the ridges almost completely.
  const blurred = boxBlur(src, width, height, 4, 2);
  const blot = smoothNoise(width, height, 40, rng.fork(1));
  const grime = smoothNoise(width, height, 6, rng.fork(2));
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const cover = Math.min(1, 0.985 + 0.1 * blot[i]);
    const smear = blurred[i] * 0.8 - 10 + 22 * blot[i] + 14 * grime[i];
    pixels[i] = clampByte(src[i] * (1 - cover) + smear * cover + 3 * rng.normal());
  }
  return Object.freeze({ ...image, pixels });
}

/** The finger is off to one side: only a strip along one edge of the image is touched. */
function partial(master: MasterPrint, seed: number): GrayImage {
  const rng = new Rng(hash32((Math.trunc(seed) ^ 0x9a27) >>> 0));
  const side = rng.int(0, 3);
  const w = master.width;
  const h = master.height;
  const shift = [
    { dx: -0.68 * w, dy: 0 },
    { dx: 0.68 * w, dy: 0 },
    { dx: 0, dy: -0.72 * h },
    { dx: 0, dy: 0.72 * h },
  ][side];
  return capture(master, seed, { ...shift, contact: 1, rotationDeg: rng.range(-10, 10) });
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
