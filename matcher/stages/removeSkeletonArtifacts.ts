import type { BinaryImage, RawMinutia } from '../primitives/fields.ts';
import { branchStarts, walkSkeleton } from '../primitives/skeletonWalk.ts';
import { SHORT_RIDGE } from '../parameters.ts';

/**
 * Separates minutiae joined to another minutia by a skeleton path shorter than SHORT_RIDGE: spurs
 * (ending-bifurcation), bridges and holes (bifurcation-bifurcation) and short ridges or islands
 * (ending-ending). Both ends of such a path are likely artefacts of noise or thinning, but about
 * half are real (a short ridge of a dry print, a true spur): `artefacts` are kept out of the
 * later filters and return with reduced quality (ARTEFACT_QUALITY_FACTOR, topMinutiae.ts).
 */
export function removeSkeletonArtifacts(
  minutiae: readonly RawMinutia[],
  skeleton: BinaryImage,
): { kept: RawMinutia[]; artefacts: RawMinutia[] } {
  const { width, height, pixels } = skeleton;
  // Pixel -> 1 + index of the last minutia whose 3x3 square covers it. A map: a few hundred
  // minutiae cover a few thousand pixels, a raster-sized array would be mostly zeros to allocate.
  const owner = new Map<number, number>();
  minutiae.forEach((m, k) => {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const x = m.x + dx;
        const y = m.y + dy;
        if (x >= 0 && y >= 0 && x < width && y < height) owner.set(y * width + x, k + 1);
      }
    }
  });
  const removed = new Uint8Array(minutiae.length);
  minutiae.forEach((m, k) => {
    const i = m.y * width + m.x;
    const ignore = m.type === 'bifurcation' ? 2 : 0;
    for (const start of branchStarts(pixels, width, i)) {
      const w = walkSkeleton(pixels, width, height, i, start, SHORT_RIDGE, ignore);
      if (w.stop === 'length') continue;
      const other = (owner.get(w.y * width + w.x) ?? 0) - 1;
      if (other >= 0 && other !== k) {
        removed[k] = 1;
        removed[other] = 1;
      } else if (w.stop === 'ending' && m.type === 'ending') {
        // A ridge too short to have produced a second ending minutia: an island or a dot.
        removed[k] = 1;
      }
    }
  });
  return { kept: minutiae.filter((_, k) => !removed[k]), artefacts: minutiae.filter((_, k) => removed[k] === 1) };
}
