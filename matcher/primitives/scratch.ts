/**
 * Typed buffers for a stage's short-lived temporaries, kept between calls. A three-sigma probe
 * allocated ~6 MB of raster-sized temporaries per extraction; process CPU counts V8's concurrent
 * garbage collector threads, which on a loaded 2-core machine added 15-30% to the probe's CPU.
 *
 * Contract: a borrowed buffer is all zeros; one slot serves one borrower at a time (stages are
 * synchronous, none keeps a buffer past its return); the borrower zeroes what it used before it
 * returns, because the buffers hold print data (pixels, ridge positions) while they wait for the
 * next call. All kept buffers together stay within KEPT_BYTES: a request that would grow them
 * past it gets a fresh buffer that is not kept (the slot keeps its smaller one).
 */
/**
 * A three-sigma probe keeps ~2.2 MB for the counter's sensor frame (U.are.U 4000: 384 x 290 at
 * 512 dpi) and ~2.9 MB for the largest FVC2002 image (388 x 374); 16 MB keeps them for prints up
 * to ~900 x 900 px at 500 dpi. Larger images still extract, with fresh buffers.
 */
export const KEPT_BYTES = 16 << 20;
const slots = new Map<string, ArrayBuffer>();
let keptBytes = 0;

function borrow(slot: string, bytes: number): ArrayBuffer {
  const kept = slots.get(slot);
  if (kept && kept.byteLength >= bytes) return kept;
  const grown = keptBytes - (kept?.byteLength ?? 0) + bytes;
  if (grown > KEPT_BYTES) return new ArrayBuffer(bytes);
  const buffer = new ArrayBuffer(bytes);
  slots.set(slot, buffer);
  keptBytes = grown;
  return buffer;
}

export function borrowFloat32(slot: string, length: number): Float32Array {
  return new Float32Array(borrow(slot, length * 4), 0, length);
}

export function borrowInt32(slot: string, length: number): Int32Array {
  return new Int32Array(borrow(slot, length * 4), 0, length);
}

export function borrowUint8(slot: string, length: number): Uint8Array {
  return new Uint8Array(borrow(slot, length), 0, length);
}

/**
 * Zeroes every kept buffer. For the error path only (extract.ts): a stage that throws cannot zero
 * what it borrowed, and the next borrower must find zeros, not the last print.
 */
export function scrubScratch(): void {
  for (const buffer of slots.values()) new Uint8Array(buffer).fill(0);
}

/** Bytes kept between calls and whether they are all zero (for tests and diagnostics; no print data leaves). */
export function scratchState(): { readonly bytes: number; readonly zeroed: boolean } {
  let zeroed = true;
  for (const buffer of slots.values()) if (!new Uint8Array(buffer).every((v) => v === 0)) zeroed = false;
  return { bytes: keptBytes, zeroed };
}
