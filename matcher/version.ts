/**
 * Matcher version, tied to the code and parameters that decide a score. `MATCHER_DIGEST` is the
 * SHA-256 of the files in `SCORED_FILES` (paths relative to matcher/, in this order, each as
 * "path\n" + its UTF-8 text with \r\n read as \n); test/matcher/version.test.ts recomputes it, so a
 * change that can move scores (an extraction stage, a comparator step, a parameter, the ISO
 * codec) fails the suite until the digest is updated here, the threshold table re-measured
 * (threshold.ts) and the version bumped. The agent logs MATCHER_VERSION with every start.
 */
export const SCORED_FILES: readonly string[] = [
  'parameters.ts',
  'types.ts',
  'extract.ts',
  'compare.ts',
  'threshold.ts',
  'primitives/angles.ts',
  'primitives/fields.ts',
  'primitives/neighbourhood.ts',
  'primitives/skeletonWalk.ts',
  'primitives/maskDistance.ts',
  'primitives/facingEndings.ts',
  'primitives/scratch.ts',
  'stages/scaleImage.ts',
  'stages/blockStatistics.ts',
  'stages/orientationField.ts',
  'stages/segmentationMask.ts',
  'stages/ridgeFrequency.ts',
  'stages/enhanceRidges.ts',
  'stages/binarize.ts',
  'stages/thinRidges.ts',
  'stages/detectMinutiae.ts',
  'stages/removeBorderMinutiae.ts',
  'stages/removeSkeletonArtifacts.ts',
  'stages/removeBrokenRidges.ts',
  'stages/removeClusters.ts',
  'stages/topMinutiae.ts',
  'stages/placeMinutiae.ts',
  'stages/assessCapture.ts',
  'comparator/localConfiguration.ts',
  'comparator/searchTemplate.ts',
  'comparator/findRoots.ts',
  'comparator/consolidate.ts',
  'template/iso19794.ts',
  'template/compactCard.ts',
];

export const MATCHER_DIGEST = '4005d781da1859972e2b16b4e823d0229b8c1eba1ad42866e0b57975f92c102e';

export const MATCHER_VERSION = `1.14.0+${MATCHER_DIGEST.slice(0, 12)}`;
