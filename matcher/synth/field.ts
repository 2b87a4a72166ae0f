/**
 * Small raster helpers for the generator: smooth value noise, separable box blur and bilinear
 * sampling. All work on row-major Float32Array fields and return new arrays.
 */
import type { Rng } from './random.ts';

/**
 * Value noise in [-1, 1] with features about `cell` pixels wide: random values on a coarse grid,
 * interpolated with a smoothstep so the field has no visible grid creases.
 */
export function smoothNoise(width: number, height: number, cell: number, rng: Rng): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.range(-1, 1);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const ty = smoothstep(gy - y0);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const tx = smoothstep(gx - x0);
      const a = grid[y0 * gw + x0];
      const b = grid[y0 * gw + x0 + 1];
      const c = grid[(y0 + 1) * gw + x0];
      const d = grid[(y0 + 1) * gw + x0 + 1];
      out[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
    }
  }
  return out;
}

export function smoothstep(t: number): number {
  const c = t < 0 ? 0 : t > 1 ? 1 : t;
  return c * c * (3 - 2 * c);
}

/** Box blur with radius r (window 2r+1), applied `passes` times: ≈ Gaussian for passes ≥ 2. */
export function boxBlur(src: Float32Array, width: number, height: number, r: number, passes = 1): Float32Array {
  const a = Float32Array.from(src);
  if (r < 1) return a;
  const b = new Float32Array(src.length);
  const norm = 1 / (2 * r + 1);
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < height; y++) {
      const row = y * width;
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += a[row + clampIndex(i, width)];
      for (let x = 0; x < width; x++) {
        b[row + x] = acc * norm;
        acc += a[row + clampIndex(x + r + 1, width)] - a[row + clampIndex(x - r, width)];
      }
    }
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) acc += b[clampIndex(i, height) * width + x];
      for (let y = 0; y < height; y++) {
        a[y * width + x] = acc * norm;
        acc += b[clampIndex(y + r + 1, height) * width + x] - b[clampIndex(y - r, height) * width + x];
      }
    }
  }
  return a;
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Bilinear sample; outside the field returns `outside`. */
export function sampleBilinear(field: Float32Array, width: number, height: number, x: number, y: number, outside: number): number {
  if (!(x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1)) return outside;
  const x0 = Math.min(Math.floor(x), width - 2);
  const y0 = Math.min(Math.floor(y), height - 2);
  const tx = x - x0;
  const ty = y - y0;
  const i = y0 * width + x0;
  const top = field[i] + (field[i + 1] - field[i]) * tx;
  const bottom = field[i + width] + (field[i + width + 1] - field[i + width]) * tx;
  return top + (bottom - top) * ty;
}
