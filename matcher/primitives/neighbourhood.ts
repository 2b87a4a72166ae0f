/**
 * 8-neighbourhood helpers on 0/1 rasters. Neighbours are numbered clockwise from north:
 * P2=N, P3=NE, P4=E, P5=SE, P6=S, P7=SW, P8=W, P9=NW (bit 0..7), as in Zhang & Suen.
 */
export const NEIGHBOUR_DX = [0, 1, 1, 1, 0, -1, -1, -1] as const;
export const NEIGHBOUR_DY = [-1, -1, 0, 1, 1, 1, 0, -1] as const;

/**
 * Bit pattern of the 8 neighbours of an interior pixel of a 0/1 raster (BinaryImage). Shifts of
 * the 0/1 values instead of a test per neighbour: no branches to mispredict at ridge edges.
 */
export function neighbourBits(pixels: Uint8Array, width: number, i: number): number {
  return (
    pixels[i - width] |
    (pixels[i - width + 1] << 1) |
    (pixels[i + 1] << 2) |
    (pixels[i + width + 1] << 3) |
    (pixels[i + width] << 4) |
    (pixels[i + width - 1] << 5) |
    (pixels[i - 1] << 6) |
    (pixels[i - width - 1] << 7)
  );
}

/** Number of 0->1 transitions around the ring: ridge branches leaving the pixel (crossing number). */
export const TRANSITIONS = (() => {
  const t = new Uint8Array(256);
  for (let bits = 0; bits < 256; bits++) {
    let n = 0;
    for (let k = 0; k < 8; k++) {
      const a = (bits >> k) & 1;
      const b = (bits >> ((k + 1) & 7)) & 1;
      if (a === 0 && b === 1) n++;
    }
    t[bits] = n;
  }
  return t;
})();

export const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let bits = 0; bits < 256; bits++) {
    let n = 0;
    for (let k = 0; k < 8; k++) n += (bits >> k) & 1;
    t[bits] = n;
  }
  return t;
})();
