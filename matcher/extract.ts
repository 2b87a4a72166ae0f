import type { Extraction, GrayImage, Minutia, ProbeExtraction, Template, Trace } from './types.ts';
import { ALONG_RIDGE_SIGMA, MAX_MINUTIAE, MIN_SCALED_SIDE, PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS } from './parameters.ts';
import type { BlockMask, FloatImage, OrientationField, Raster } from './primitives/fields.ts';
import { scaleImage } from './stages/scaleImage.ts';
import { scrubScratch } from './primitives/scratch.ts';
import { blockStatistics } from './stages/blockStatistics.ts';
import { orientationField } from './stages/orientationField.ts';
import { segmentationMask } from './stages/segmentationMask.ts';
import { ridgeFrequency } from './stages/ridgeFrequency.ts';
import { enhanceRidgesFamily } from './stages/enhanceRidges.ts';
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
 * This is the enrolment-side template (what a gallery holds); a live probe at verification is
 * `extractProbe`.
 */
export function extract(image: GrayImage, opts: { trace?: Trace } = {}): Extraction {
  return run(image, [], opts.trace).extraction;
}

/**
 * A live probe for verification: `extract`'s extraction plus `alternates`, the same print
 * enhanced with the along-ridge smoothing one step shorter and one step longer
 * (PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS).
 * Stages 1-5 are shared; only enhancement to placement run again. Score it with `verifyScore`
 * (compare.ts), the score the threshold table is calibrated on. A refused capture (guidance set)
 * gets no alternates: it is never compared. Alternates are biometric data like the template:
 * in memory for one verification only. `trace` sees the primary template's stages and the
 * alternates' enhanced images ('alternate-enhanced-images', offered only when they are filtered).
 */
export function extractProbe(image: GrayImage, opts: { trace?: Trace } = {}): ProbeExtraction {
  const { extraction, alternates } = run(image, PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS, opts.trace);
  return Object.freeze({ ...extraction, alternates });
}

function run(
  image: GrayImage,
  alternateSigmas: readonly number[],
  trace: Trace | undefined,
): { extraction: Extraction; alternates: readonly Template[] } {
  validateImage(image);
  try {
    return runStages(image, alternateSigmas, trace);
  } catch (err) {
    // Stages zero their borrowed scratch buffers before they return; one that threw did not.
    scrubScratch();
    throw err;
  }
}

function runStages(
  image: GrayImage,
  alternateSigmas: readonly number[],
  trace: Trace | undefined,
): { extraction: Extraction; alternates: readonly Template[] } {
  const scaled = scaleImage(image);
  emit(trace, 'scaled-image', () => scaled);
  if (scaled.width < MIN_SCALED_SIDE || scaled.height < MIN_SCALED_SIDE) return { extraction: empty(scaled.width, scaled.height), alternates: Object.freeze([]) };
  const stats = blockStatistics(scaled);
  emit(trace, 'block-statistics', () => stats);
  const orientation = orientationField(scaled);
  emit(trace, 'orientation-field', () => orientation);
  const mask = segmentationMask(stats, orientation);
  emit(trace, 'segmentation-mask', () => mask);
  const frequency = ridgeFrequency(scaled, orientation, mask);
  emit(trace, 'ridge-frequency', () => frequency);
  // The probe's alternates share the filter's setup and run beside the primary smoothing, unless
  // the capture gate refuses the print whatever minutiae it yields: a refused probe is never
  // compared, and a retake frame then costs one extraction, not three.
  const refusedAnyway = alternateSigmas.length > 0 && assessCapture(stats, orientation, mask, MAX_MINUTIAE).guidance !== null;
  const sigmas = refusedAnyway ? [ALONG_RIDGE_SIGMA] : [ALONG_RIDGE_SIGMA, ...alternateSigmas];
  const [enhanced, ...alternateImages] = enhanceRidgesFamily(scaled, orientation, frequency, mask, sigmas);
  emit(trace, 'enhanced-image', () => enhanced);
  const { top, placed } = minutiaeOf(scaled, orientation, mask, enhanced, trace);
  const assessment = assessCapture(stats, orientation, mask, top.length);
  emit(trace, 'capture-quality', () => assessment);
  const template = freezeTemplate(scaled.width, scaled.height, placed);
  const extraction: Extraction = Object.freeze({ template, quality: assessment.quality, guidance: assessment.guidance });
  if (assessment.guidance) return { extraction, alternates: Object.freeze([]) };
  // Accepted after all (a gate where more minutiae can refuse): filter the alternates now. Each
  // sigma's image is the same whichever family computes it (enhanceRidgesFamily).
  const alternateEnhanced = refusedAnyway ? enhanceRidgesFamily(scaled, orientation, frequency, mask, alternateSigmas) : alternateImages;
  if (alternateEnhanced.length > 0) emit(trace, 'alternate-enhanced-images', () => alternateEnhanced);
  // Their later stages are not traced: they differ from the primary's only in the smoothing length.
  const alternates = alternateEnhanced.map((alternate) =>
    freezeTemplate(scaled.width, scaled.height, minutiaeOf(scaled, orientation, mask, alternate, undefined).placed));
  return { extraction, alternates: Object.freeze(alternates) };
}

function freezeTemplate(width: number, height: number, minutiae: Minutia[]): Template {
  return Object.freeze({ width, height, minutiae: Object.freeze(minutiae) });
}

/** Stages 7-12 (binarization to ISO placement) of one enhanced image. */
function minutiaeOf(
  scaled: Raster,
  orientation: OrientationField,
  mask: BlockMask,
  enhanced: FloatImage,
  trace: Trace | undefined,
): { top: readonly Minutia[]; placed: Minutia[] } {
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
  const top = topMinutiae(sparse, artefacts, orientation, mask, scaled, enhanced);
  emit(trace, 'top-minutiae', () => top);
  const placed = placeMinutiae(top, scaled.width, scaled.height);
  emit(trace, 'placed-minutiae', () => placed);
  return { top, placed };
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
  return Object.freeze({ template: freezeTemplate(width, height, []), quality: 0, guidance: 'NO_FINGER' });
}

function emit(trace: Trace | undefined, key: string, payload: () => unknown): void {
  if (trace && trace.accepts(key)) trace.take(key, payload());
}

