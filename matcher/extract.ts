import type { Extraction, GrayImage, Template, Trace } from './types.ts';
import { MIN_SCALED_SIDE } from './parameters.ts';
import { scaleImage } from './stages/scaleImage.ts';
import { blockStatistics } from './stages/blockStatistics.ts';
import { orientationField } from './stages/orientationField.ts';
import { segmentationMask } from './stages/segmentationMask.ts';
import { ridgeFrequency } from './stages/ridgeFrequency.ts';
import { enhanceRidges } from './stages/enhanceRidges.ts';
import { binarize } from './stages/binarize.ts';
import { thinRidges } from './stages/thinRidges.ts';
import { detectMinutiae } from './stages/detectMinutiae.ts';
import { removeSkeletonArtifacts } from './stages/removeSkeletonArtifacts.ts';
import { removeBorderMinutiae } from './stages/removeBorderMinutiae.ts';
import { removeBrokenRidges } from './stages/removeBrokenRidges.ts';
import { removeClusters } from './stages/removeClusters.ts';
import { topMinutiae } from './stages/topMinutiae.ts';
import { placeMinutiae } from './stages/placeMinutiae.ts';
import { assessCapture } from './stages/assessCapture.ts';

/**
 * Image -> minutiae template + capture quality. A recipe: one stage per line, every intermediate
 * named and offered to `trace` under a stable key (documented in matcher/README.md).
 * Never throws for image content; throws only for a structurally invalid GrayImage.
 */
export function extract(image: GrayImage, opts: { trace?: Trace } = {}): Extraction {
  validateImage(image);
  const trace = opts.trace;
  const scaled = scaleImage(image);
  emit(trace, 'scaled-image', () => scaled);
  if (scaled.width < MIN_SCALED_SIDE || scaled.height < MIN_SCALED_SIDE) return empty(scaled.width, scaled.height);
  const stats = blockStatistics(scaled);
  emit(trace, 'block-statistics', () => stats);
  const orientation = orientationField(scaled);
  emit(trace, 'orientation-field', () => orientation);
  const mask = segmentationMask(stats, orientation);
  emit(trace, 'segmentation-mask', () => mask);
  const frequency = ridgeFrequency(scaled, orientation, mask);
  emit(trace, 'ridge-frequency', () => frequency);
  const enhanced = enhanceRidges(scaled, orientation, frequency, mask);
  emit(trace, 'enhanced-image', () => enhanced);
  const binary = binarize(enhanced);
  emit(trace, 'binarized-image', () => binary);
  const skeleton = thinRidges(binary);
  emit(trace, 'skeleton', () => skeleton);
  const detected = detectMinutiae(skeleton);
  emit(trace, 'detected-minutiae', () => detected);
  const inner = removeBorderMinutiae(detected, mask, scaled.width, scaled.height);
  emit(trace, 'inner-minutiae', () => inner);
  const { kept: clean, artefacts } = removeSkeletonArtifacts(inner, skeleton);
  emit(trace, 'skeleton-filtered-minutiae', () => clean);
  emit(trace, 'skeleton-artefact-minutiae', () => artefacts);
  const unbroken = removeBrokenRidges(clean);
  emit(trace, 'unbroken-minutiae', () => unbroken);
  const sparse = removeClusters(unbroken);
  emit(trace, 'declustered-minutiae', () => sparse);
  const top = topMinutiae(sparse, artefacts, orientation, stats, mask, scaled.width, scaled.height);
  emit(trace, 'top-minutiae', () => top);
  const placed = placeMinutiae(top, scaled.width, scaled.height);
  emit(trace, 'placed-minutiae', () => placed);
  const assessment = assessCapture(stats, orientation, mask, top.length);
  emit(trace, 'capture-quality', () => assessment);
  const template: Template = Object.freeze({ width: scaled.width, height: scaled.height, minutiae: Object.freeze(placed) });
  return Object.freeze({ template, quality: assessment.quality, guidance: assessment.guidance });
}

function validateImage(image: GrayImage): void {
  const { width, height, dpi, pixels } = image ?? ({} as GrayImage);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`invalid image size ${String(width)}x${String(height)}`);
  }
  if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi <= 0) throw new Error(`invalid image dpi ${String(dpi)}`);
  if (!(pixels instanceof Uint8Array) || pixels.length !== width * height) {
    throw new Error(`image pixels length ${pixels?.length ?? 'none'} does not match ${width}x${height}`);
  }
}

function empty(width: number, height: number): Extraction {
  const template: Template = Object.freeze({ width, height, minutiae: Object.freeze([]) });
  return Object.freeze({ template, quality: 0, guidance: 'NO_FINGER' });
}

function emit(trace: Trace | undefined, key: string, payload: () => unknown): void {
  if (trace && trace.accepts(key)) trace.take(key, payload());
}

