export const TWO_PI = Math.PI * 2;

/** Normalizes to [0, 2π). */
export function wrapAngle(a: number): number {
  const r = a % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}

/** Absolute difference of two directions, in [0, π]. */
export function angleDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}

/**
 * Direction of the vector (dx, dy) given in image coordinates (y down), as an ISO/IEC 19794-2
 * angle: counter-clockwise from the x axis as the image is viewed.
 */
export function isoAngle(dx: number, dy: number): number {
  return wrapAngle(Math.atan2(-dy, dx));
}

/** angleDistance for two angles already in [0, 2π): no modulo in hot loops. */
export function normalizedAngleDistance(a: number, b: number): number {
  const d = a > b ? a - b : b - a;
  return d > Math.PI ? TWO_PI - d : d;
}
