/** Internal intermediate values of the extractor. Plain typed arrays, row-major. */

/** A grayscale raster at 500 dpi. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** Per-block values on a grid of BLOCK x BLOCK pixel blocks. */
export interface BlockGrid {
  /** Blocks across and down (the last row/column may be partial). */
  readonly cols: number;
  readonly rows: number;
}

export interface BlockStatistics extends BlockGrid {
  readonly mean: Float32Array;
  /** Gray-level standard deviation inside the block. */
  readonly contrast: Float32Array;
}

export interface OrientationField extends BlockGrid {
  /** Ridge orientation in image coordinates (y down), radians in [0, π). */
  readonly angle: Float32Array;
  /** 0..1, how consistently the gradients agree inside the window. */
  readonly coherence: Float32Array;
}

/** 1 = foreground block. */
export interface BlockMask extends BlockGrid {
  readonly cells: Uint8Array;
}

/** Ridge period (pixels) per block. */
export interface FrequencyField extends BlockGrid {
  readonly period: Float32Array;
}

/** 0/1 pixels. */
export interface BinaryImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export interface FloatImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Float32Array;
}

/** A minutia while it is being extracted (image coordinates, ISO direction). */
export interface RawMinutia {
  readonly x: number;
  readonly y: number;
  readonly direction: number;
  readonly type: 'ending' | 'bifurcation';
}
