/**
 * One capture of a master (SFinGe steps 5–8): the finger lands on the sensor displaced, rotated
 * and with its skin stretched (plastic distortion, Cappelli et al.: no distortion in the
 * close-contact core, growing outwards), only part of it touches the platen, moisture and pressure
 * thicken or thin the ridges, and the sensor adds its background, blur and noise.
 */
import { GRAY_BACKGROUND_MAX, GRAY_BACKGROUND_MIN } from './levels.ts';
import { boxBlur, sampleBilinear, smoothNoise, smoothstep } from './field.ts';
import { hash32, Rng } from './random.ts';
import type { ImpressionOptions, MasterPrint, Point } from './types.ts';
import type { GrayImage } from '../types.ts';

/** Resolved capture parameters: every option with a value. */
export interface Capture {
  readonly dx: number;
  readonly dy: number;
  readonly rotationDeg: number;
  readonly distortion: number;
  readonly pressure: number;
  readonly noise: number;
  readonly contact: number;
  readonly contactCenter: Point;
  readonly contrast: number;
}

const DEG = Math.PI / 180;
/** Radius (px) of the close-contact zone that does not stretch, and where stretch is complete. */
const DISTORTION_INNER = 45;
const DISTORTION_OUTER = 150;
/** Softness of the ridge/valley edge in ridge-signal units: higher is crisper. */
const EDGE_GAIN = 3.2;

const blurredMasks = new WeakMap<MasterPrint, Float32Array>();

export function renderImpression(master: MasterPrint, seed: number, opts: ImpressionOptions = {}): GrayImage {
  const rng = impressionRng(master, seed);
  const capture = resolveCapture(master, rng, opts);
  return renderCapture(master, capture, rng);
}

export function impressionRng(master: MasterPrint, seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`impression seed must be a finite number, got ${seed}`);
  return new Rng(hash32(Math.trunc(seed) >>> 0) ^ hash32((master.seed ^ 0x5eed) >>> 0));
}

/**
 * Draws every parameter in a fixed order, then applies the caller's overrides, so giving one
 * option does not change the others drawn for the same seed.
 */
export function resolveCapture(master: MasterPrint, rng: Rng, opts: ImpressionOptions): Capture {
  const drawn = {
    dx: rng.range(-12, 12),
    dy: rng.range(-12, 12),
    rotationDeg: Math.max(-15, Math.min(15, rng.normal() * 5)),
    distortion: rng.range(0.2, 0.6),
    pressure: rng.range(-0.2, 0.2),
    noise: rng.range(0.15, 0.35),
    contact: rng.range(0.85, 1),
    contrast: rng.range(0.85, 1),
    jitterX: rng.range(-1, 1),
    jitterY: rng.range(-1, 1),
  };
  checkFinite(opts.dx, 'dx');
  checkFinite(opts.dy, 'dy');
  checkRange(opts.rotationDeg, -180, 180, 'rotationDeg');
  checkRange(opts.distortion, 0, 1, 'distortion');
  checkRange(opts.pressure, -1, 1, 'pressure');
  checkRange(opts.noise, 0, 1, 'noise');
  checkRange(opts.contact, 0.1, 1, 'contact');
  checkRange(opts.contrast, 0, 1, 'contrast');
  if (opts.contactCenter) {
    checkFinite(opts.contactCenter.x, 'contactCenter.x');
    checkFinite(opts.contactCenter.y, 'contactCenter.y');
  }
  const dx = opts.dx ?? drawn.dx;
  const dy = opts.dy ?? drawn.dy;
  const contact = opts.contact ?? drawn.contact;
  // Less contact means the touching patch can sit further from the fingertip centre.
  const roam = (1 - Math.sqrt(contact)) * 0.6;
  const contactCenter = opts.contactCenter ?? {
    x: master.width / 2 + dx + drawn.jitterX * roam * master.width,
    y: master.height * 0.45 + dy + drawn.jitterY * roam * master.height,
  };
  return {
    dx,
    dy,
    rotationDeg: opts.rotationDeg ?? drawn.rotationDeg,
    distortion: opts.distortion ?? drawn.distortion,
    pressure: opts.pressure ?? drawn.pressure,
    noise: opts.noise ?? drawn.noise,
    contact,
    contactCenter,
    contrast: opts.contrast ?? drawn.contrast,
  };
}

export function renderCapture(master: MasterPrint, c: Capture, rng: Rng): GrayImage {
  const width = master.width;
  const height = master.height;
  const fingerMask = softMask(master);

  // Geometry: output pixel -> master coordinate (inverse mapping, sampled bilinearly).
  const cosR = Math.cos(c.rotationDeg * DEG);
  const sinR = Math.sin(c.rotationDeg * DEG);
  const outCx = width / 2 + c.dx;
  const outCy = height / 2 + c.dy;
  const toMaster = (u: number, v: number): [number, number] => {
    const x = u - outCx;
    const y = v - outCy;
    // Inverse of a counter-clockwise (on screen) rotation on a y-down raster.
    return [x * cosR - y * sinR + width / 2, x * sinR + y * cosR + height / 2];
  };
  const [contactMx, contactMy] = toMaster(c.contactCenter.x, c.contactCenter.y);
  const stretchAngle = c.distortion * rng.normal() * 3 * DEG;
  const stretchX = c.distortion * rng.normal() * 5;
  const stretchY = c.distortion * rng.normal() * 5;
  const skinX = smoothNoise(width, height, 70, rng.fork(1));
  const skinY = smoothNoise(width, height, 70, rng.fork(2));
  const skinAmp = 1.5 * c.distortion;

  // Contact patch: an ellipse with a ragged edge, in output coordinates.
  const semiX = width * 0.5 * Math.sqrt(c.contact) * 1.05;
  const semiY = height * 0.52 * Math.sqrt(c.contact) * 1.05;
  const edgeNoise = smoothNoise(width, height, 25, rng.fork(3));

  // Skin and sensor texture.
  const dryness = Math.max(0, -c.pressure);
  const wetness = Math.max(0, c.pressure);
  const breaks = smoothNoise(width, height, 5, rng.fork(4));
  const pores = smoothNoise(width, height, 2, rng.fork(5));
  const shading = smoothNoise(width, height, 120, rng.fork(6));
  const background = rng.range(GRAY_BACKGROUND_MIN, GRAY_BACKGROUND_MAX);
  const valleyDrop = rng.range(12, 28);
  const ridgeLevel = rng.range(25, 55);
  const threshold = -0.55 * c.pressure;

  const ink = new Float32Array(width * height);
  const touch = new Float32Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const i = v * width + u;
      let [mx, my] = toMaster(u, v);
      // Plastic distortion: the skin outside the close-contact zone is dragged and twisted.
      const rx = mx - contactMx;
      const ry = my - contactMy;
      const brake = smoothstep((Math.hypot(rx, ry) - DISTORTION_INNER) / (DISTORTION_OUTER - DISTORTION_INNER));
      mx += brake * (rx * (Math.cos(stretchAngle) - 1) - ry * Math.sin(stretchAngle) + stretchX) + skinAmp * skinX[i];
      my += brake * (rx * Math.sin(stretchAngle) + ry * (Math.cos(stretchAngle) - 1) + stretchY) + skinAmp * skinY[i];

      const onFinger = sampleBilinear(fingerMask, width, height, mx, my, 0);
      const ex = (u - c.contactCenter.x) / semiX;
      const ey = (v - c.contactCenter.y) / semiY;
      const rho = Math.hypot(ex, ey) * (1 + 0.07 * edgeNoise[i]);
      touch[i] = onFinger * smoothstep((1 - rho) / 0.1);
      if (touch[i] <= 0) continue;
      const r = sampleBilinear(master.ridges, master.width, master.height, mx, my, -1);
      let k = 1 / (1 + Math.exp(-EDGE_GAIN * (r - threshold)));
      // Dry skin prints broken, speckled ridges; the effect starts at the contact edge first.
      if (dryness > 0) k *= 1 - Math.min(1, Math.max(0, dryness * 1.6 + 0.5 * breaks[i] - 0.35 + 0.4 * (1 - touch[i])));
      k *= 1 - 0.35 * c.noise * Math.max(0, pores[i]);
      ink[i] = k;
    }
  }
  // Wet skin: ink spreads into the valleys.
  const spread = wetness > 0 ? boxBlur(ink, width, height, 2, 1) : ink;
  const raw = new Float32Array(width * height);
  for (let i = 0; i < raw.length; i++) {
    const k = wetness > 0 ? Math.min(1, ink[i] + wetness * 0.9 * spread[i]) : ink[i];
    const bg = background + 6 * shading[i];
    const valley = bg - valleyDrop;
    raw[i] = bg - touch[i] * (bg - valley + c.contrast * (valley - ridgeLevel) * k);
  }
  const optics = boxBlur(raw, width, height, 1, 1);
  const pixels = new Uint8Array(width * height);
  const sigma = 1.5 + 9 * c.noise;
  const grain = rng.fork(7);
  for (let i = 0; i < pixels.length; i++) {
    const value = optics[i] + sigma * grain.normal();
    pixels[i] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
  }
  return Object.freeze({ width, height, dpi: master.dpi, pixels });
}

/** The silhouette with a soft 2-px edge, cached per master. */
function softMask(master: MasterPrint): Float32Array {
  let soft = blurredMasks.get(master);
  if (!soft) {
    soft = boxBlur(Float32Array.from(master.mask), master.width, master.height, 2, 1);
    blurredMasks.set(master, soft);
  }
  return soft;
}

function checkFinite(value: number | undefined, name: string): void {
  if (value !== undefined && !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

function checkRange(value: number | undefined, min: number, max: number, name: string): void {
  if (value !== undefined && !(value >= min && value <= max)) {
    throw new RangeError(`${name} must be within ${min}..${max}, got ${value}`);
  }
}
