import t from 'tap';
import { verifyScore } from '../../../matcher/compare.ts';
import { extractProbe } from '../../../matcher/extract.ts';
import { decodeIso19794, templateFromIso } from '../../../matcher/template/iso19794.ts';
import { thresholdForFmr } from '../../../matcher/threshold.ts';
import { makeResidents } from '../../../agent/sim/residents.ts';
import { VirtualWorld } from '../../../agent/sim/world.ts';

/** Score of a capture against the resident's chip record of that finger, as the verifier computes it. */
function score(card: ReturnType<VirtualWorld['makeCard']>, finger: 'right_index' | 'left_index', image: ReturnType<VirtualWorld['genuine']>): number {
  const record = decodeIso19794(card.fingers.find((f) => f.position === finger)!.template);
  return verifyScore(extractProbe(image), templateFromIso(record, 0));
}

t.test('a scripted impostor never matches the victim at the configured threshold; a genuine capture does', async (t) => {
  const world = new VirtualWorld(1);
  const people = makeResidents(1, 6);
  const threshold = thresholdForFmr(1e-4);
  for (let i = 0; i < people.length; i++) {
    const victim = people[i];
    const stranger = people[(i + 1) % people.length];
    const card = world.makeCard(victim);
    for (const finger of ['right_index', 'left_index'] as const) {
      const impostor = world.impostorFor(victim, stranger, finger, i);
      t.ok(score(card, finger, impostor) < threshold, `resident ${i} ${finger}: the stranger's finger stays below ${threshold}`);
    }
    t.ok(score(card, 'right_index', world.genuine(victim, 'right_index', 0)) >= threshold, `resident ${i}: own finger matches`);
  }
});
