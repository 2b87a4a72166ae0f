/**
 * Typed buffers for a stage's short-lived temporaries, kept between calls. A three-sigma probe
 * allocated ~6 MB of raster-sized temporaries per extraction; process CPU counts V8's concurrent
 * garbage collector threads, which on a loaded 2-core machine added 15-30% to the probe's CPU.
 *
 * Contract: a borrowed buffer is all zeros; one slot serves one borrower at a time (stages are
 * synchronous, none keeps a buffer past its return); the borrower zeroes what it used before it
 * returns, because the buffers hold print data (pixels, ridge positions) while they wait for the
 * next call. Requests above KEPT_BYTES get a fresh buffer that is not kept.
 */
const KEPT_BYTES = 16 << 20;
const slots = new Map<string, ArrayBuffer>();

function borrow(slot: string, bytes: number): ArrayBuffer {
  if (bytes > KEPT_BYTES) return new ArrayBuffer(bytes);
  let buffer = slots.get(slot);
  if (!buffer || buffer.byteLength < bytes) {
    buffer = new ArrayBuffer(bytes);
    slots.set(slot, buffer);
  }
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
