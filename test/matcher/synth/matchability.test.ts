import t from 'tap';
import { thresholdForFmr } from '../../../matcher/threshold.ts';
import { compare } from '../../../matcher/compare.ts';
import { extract } from '../../../matcher/extract.ts';
import { generateMasterPrint, renderBadFrame, renderImpression } from '../../../matcher/synth/index.ts';
import { decodeCompactCard, encodeCompactCard } from '../../../matcher/template/compactCard.ts';
import { decodeIso19794, encodeIso19794, isoFromTemplate, templateFromIso } from '../../../matcher/template/iso19794.ts';

// The synthetic fingers are only useful if the real matcher sees them like real fingers: two
// captures of one master match, captures of different masters do not, bad frames are refused.
t.test('synthetic captures through extract() and compare()', (t) => {
  const masters = [501, 502, 503].map((seed) => generateMasterPrint(seed));
  const templates = masters.map((m) => [1, 2].map((seed) => extract(renderImpression(m, seed))));

  t.test('good impressions pass the quality gate with enough minutiae', (t) => {
    for (const e of templates.flat()) {
      t.equal(e.guidance, null);
      t.ok(e.template.minutiae.length >= 20, `${e.template.minutiae.length} minutiae`);
    }
    t.end();
  });

  t.test('two impressions of one master score above every pair of different masters', (t) => {
    const genuine = templates.map(([a, b]) => compare(a.template, b.template));
    const impostor: number[] = [];
    for (let i = 0; i < templates.length; i++) {
      for (let j = 0; j < templates.length; j++) {
        if (i !== j) impostor.push(compare(templates[i][0].template, templates[j][1].template));
      }
    }
    const lowestGenuine = Math.min(...genuine);
    const highestImpostor = Math.max(...impostor);
    t.ok(lowestGenuine > highestImpostor * 1.5, `genuine ≥ ${lowestGenuine.toFixed(1)}, impostor ≤ ${highestImpostor.toFixed(1)}`);
    t.end();
  });

  t.test('a template stored as an ISO record or compact card still matches a live capture', (t) => {
    const [enrolled, live] = templates[0];
    const other = templates[1][1];
    const viaRecord = templateFromIso(decodeIso19794(encodeIso19794(isoFromTemplate(enrolled.template, { fingerPosition: 2, quality: enrolled.quality }))));
    const viaCard = decodeCompactCard(encodeCompactCard(enrolled.template), { width: enrolled.template.width, height: enrolled.template.height });
    const direct = compare(enrolled.template, live.template);
    const impostor = compare(enrolled.template, other.template);
    // The record keeps per-minutia quality, so it scores nearly as the original. The compact card
    // carries none and coarser angles (the quality-weighted comparator scores it lower); what
    // matters at the counter is that it still decides "match" at the default FMR of 1 in 10,000.
    const record = compare(viaRecord, live.template);
    t.ok(record > direct * 0.8 && record > impostor * 2, `record: ${record.toFixed(1)} (direct ${direct.toFixed(1)}, impostor ${impostor.toFixed(1)})`);
    const card = compare(viaCard, live.template);
    const threshold = thresholdForFmr(1e-4);
    t.ok(card > threshold && card > impostor * 2, `compact card: ${card.toFixed(1)} (threshold ${threshold.toFixed(1)}, impostor ${impostor.toFixed(1)})`);
    t.end();
  });

  t.test('bad frames get guidance instead of a template', (t) => {
    t.equal(extract(renderBadFrame('blank', 1)).guidance, 'NO_FINGER');
    t.equal(extract(renderBadFrame('too_light', 1, masters[0])).guidance, 'PRESS_HARDER');
    t.equal(extract(renderBadFrame('too_dark', 1, masters[0])).guidance, 'PRESS_LIGHTER');
    t.equal(extract(renderBadFrame('partial', 1, masters[0])).guidance, 'CENTER_FINGER');
    t.equal(extract(renderBadFrame('smudged', 1, masters[0])).guidance, 'CLEAN_SENSOR');
    t.end();
  });
  t.end();
});
