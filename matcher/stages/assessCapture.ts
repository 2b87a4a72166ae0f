import type { CaptureGuidance } from '../types.ts';
import type { BlockMask, BlockStatistics, OrientationField } from '../primitives/fields.ts';
import {
  BLOCK,
  GUIDANCE_DARK_CONTRAST,
  GUIDANCE_DARK_MEAN,
  GUIDANCE_FLOODED_MODULATION,
  GUIDANCE_LIGHT_CONTRAST,
  GUIDANCE_LIGHT_MEAN,
  GUIDANCE_MIN_BARE_FRACTION,
  GUIDANCE_MIN_FOREGROUND_FRACTION,
  GUIDANCE_MIN_FOREGROUND_PIXELS,
  GUIDANCE_MIN_QUALITY,
  GUIDANCE_NO_FINGER_PIXELS,
  GUIDANCE_OFF_CENTRE,
  QUALITY_GOOD_AREA,
  QUALITY_MIN_MINUTIAE,
} from '../parameters.ts';

export interface CaptureAssessment {
  /** 0..100, NFIQ-like: higher is better. */
  readonly quality: number;
  readonly guidance: CaptureGuidance | null;
  readonly foregroundPixels: number;
  readonly meanCoherence: number;
  readonly meanContrast: number;
  readonly meanGray: number;
  /** Gray level of the bare platen (median of the blocks outside the mask); null when too little is in view. */
  readonly bareGray: number | null;
}

/**
 * Image quality and the reason to refuse a capture. Quality multiplies the factors that predict
 * matching failure: ridge clarity (orientation coherence), usable area, contrast and minutia
 * count. Guidance picks the most likely cause the operator can fix.
 */
export function assessCapture(
  stats: BlockStatistics,
  orientation: OrientationField,
  mask: BlockMask,
  minutiaCount: number,
): CaptureAssessment {
  const { cols, rows } = mask;
  let blocks = 0;
  let coh = 0;
  let con = 0;
  let gray = 0;
  let sx = 0;
  let sy = 0;
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      const b = by * cols + bx;
      if (!mask.cells[b]) continue;
      blocks++;
      coh += orientation.coherence[b];
      con += stats.contrast[b];
      gray += stats.mean[b];
      sx += bx + 0.5;
      sy += by + 0.5;
    }
  }
  const foregroundPixels = blocks * BLOCK * BLOCK;
  const meanCoherence = blocks > 0 ? coh / blocks : 0;
  const meanContrast = blocks > 0 ? con / blocks : 0;
  const meanGray = blocks > 0 ? gray / blocks : 255;
  const clarity = clamp01((meanCoherence - 0.15) / 0.45);
  const area = clamp01(foregroundPixels / QUALITY_GOOD_AREA);
  const contrast = clamp01(meanContrast / 25);
  const detail = clamp01(minutiaCount / QUALITY_MIN_MINUTIAE);
  const quality = Math.round(100 * Math.pow(clarity * area * contrast * detail, 0.5));

  const fraction = foregroundPixels / (cols * rows * BLOCK * BLOCK);
  const bareGray = bareLevel(stats, mask);
  let guidance: CaptureGuidance | null = null;
  if (foregroundPixels < GUIDANCE_NO_FINGER_PIXELS) {
    guidance = 'NO_FINGER';
  } else if (meanContrast < GUIDANCE_LIGHT_CONTRAST) {
    // Faint ridges on a light field are a light touch; faint structure on a grey field is a smear.
    guidance = meanGray > GUIDANCE_LIGHT_MEAN ? 'PRESS_HARDER' : 'CLEAN_SENSOR';
  } else if (meanGray < GUIDANCE_DARK_MEAN && meanContrast < GUIDANCE_DARK_CONTRAST && flooded(meanGray, meanContrast, bareGray)) {
    guidance = 'PRESS_LIGHTER';
  } else if (foregroundPixels < GUIDANCE_MIN_FOREGROUND_PIXELS || fraction < GUIDANCE_MIN_FOREGROUND_FRACTION) {
    guidance = 'CENTER_FINGER';
  } else if (
    fraction < 0.5 &&
    (Math.abs(sx / blocks / cols - 0.5) > GUIDANCE_OFF_CENTRE || Math.abs(sy / blocks / rows - 0.5) > GUIDANCE_OFF_CENTRE)
  ) {
    guidance = 'CENTER_FINGER';
  } else if (quality < GUIDANCE_MIN_QUALITY) {
    // Contrast and area are there but ridges are not: a latent print or smear on the platen.
    guidance = clarity < 0.3 ? 'CLEAN_SENSOR' : 'PRESS_HARDER';
  }
  return { quality, guidance, foregroundPixels, meanCoherence, meanContrast, meanGray, bareGray };
}

/**
 * Sweat or a heavy press fills the valleys: they touch the platen and print as dark as the
 * ridges, so the print sinks far below the bare platen with little ridge modulation left. A dark
 * sensor (or a dark but dry print) keeps its valleys near the bare level: the print is dark, yet
 * its modulation is a large part of its depth. Without bare platen in view the two cannot be told
 * apart, and a dark, flat print counts as flooded.
 */
function flooded(meanGray: number, meanContrast: number, bareGray: number | null): boolean {
  if (bareGray === null) return true;
  return meanContrast < GUIDANCE_FLOODED_MODULATION * (bareGray - meanGray);
}

/** Median gray of the blocks outside the mask, or null when they are too few to be the platen. */
function bareLevel(stats: BlockStatistics, mask: BlockMask): number | null {
  // A typed array sorts numerically without a comparator call per step (this runs on every probe).
  const background = new Float32Array(mask.cells.length);
  let n = 0;
  for (let b = 0; b < mask.cells.length; b++) if (!mask.cells[b]) background[n++] = stats.mean[b];
  if (n < GUIDANCE_MIN_BARE_FRACTION * mask.cells.length) return null;
  return background.subarray(0, n).sort()[n >> 1];
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
