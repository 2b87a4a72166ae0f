import t from 'tap';
import { extract, extractProbe } from '../../matcher/extract.ts';
import { PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS } from '../../matcher/parameters.ts';
import { generateMasterPrint, renderBadFrame, renderImpression } from '../../matcher/synth/index.ts';
import type { BadFrameKind } from '../../matcher/synth/index.ts';
import type { GrayImage, ProbeExtraction } from '../../matcher/types.ts';

/**
 * A retake frame at the counter is refused and never compared, so a probe's alternate
 * enhancements (two more contextual filter passes and two more minutia extractions) would be
 * wasted on it. extractProbe asks the capture gate first, at the most minutiae a template can
 * hold, and filters the alternates only for a print the gate may accept. The trace shows which
 * it did: 'alternate-enhanced-images' is offered only when the alternates were filtered.
 */
function tracedProbe(image: GrayImage): { probe: ProbeExtraction; alternatesFiltered: number } {
  let alternatesFiltered = 0;
  const probe = extractProbe(image, {
    trace: {
      accepts: (key) => key === 'alternate-enhanced-images',
      take: (_key, images) => (alternatesFiltered += (images as unknown[]).length),
    },
  });
  return { probe, alternatesFiltered };
}

t.test('a refused capture is not filtered at the alternate sigmas', async (t) => {
  const finger = generateMasterPrint(11);
  const kinds: BadFrameKind[] = ['blank', 'too_light', 'too_dark', 'smudged', 'partial'];
  for (const kind of kinds) {
    for (const seed of [3, 4]) {
      const frame = renderBadFrame(kind, seed, finger);
      const { probe, alternatesFiltered } = tracedProbe(frame);
      t.not(probe.guidance, null, `${kind} ${seed}: refused (${probe.guidance})`);
      t.equal(alternatesFiltered, 0, `${kind} ${seed}: no alternate enhancement computed`);
      t.same(probe.alternates, []);
      const primary = extract(frame);
      t.same([probe.template, probe.quality, probe.guidance], [primary.template, primary.quality, primary.guidance], 'the refusal is what extract reports');
    }
  }
});

t.test('an accepted capture gets every alternate, and the trace does not change the result', async (t) => {
  const image = renderImpression(generateMasterPrint(11), 3);
  const { probe, alternatesFiltered } = tracedProbe(image);
  t.equal(probe.guidance, null);
  t.equal(alternatesFiltered, PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS.length);
  t.same(probe, extractProbe(image));
});
