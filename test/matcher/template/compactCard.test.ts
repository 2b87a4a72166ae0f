import t from 'tap';
import fc from 'fast-check';
import { COMPACT_CARD_EXTENT_PX, decodeCompactCard, encodeCompactCard } from '../../../matcher/template/compactCard.ts';
import { TemplateError, type Minutia, type Template } from '../../../matcher/types.ts';

const TWO_PI = 2 * Math.PI;
const PX_PER_UNIT = 500 / 254;

function angleDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % TWO_PI;
  return Math.min(d, TWO_PI - d);
}

const template: Template = {
  width: 300,
  height: 400,
  minutiae: [
    { x: 0, y: 0, direction: 0, type: 'ending', quality: 80 },
    { x: 100, y: 250.4, direction: Math.PI / 2, type: 'bifurcation', quality: 60 },
    { x: 299, y: 399, direction: 6.2, type: 'ending', quality: 40 },
    { x: 600, y: 10, direction: 1, type: 'ending', quality: 90 }, // beyond 25.5 mm
  ],
};

t.test('encodeCompactCard / decodeCompactCard', (t) => {
  t.test('packs x, y in 0.1 mm and type + 6-bit angle into 3 bytes', (t) => {
    const bytes = encodeCompactCard(template);
    t.equal(bytes.length, 9, 'the unrepresentable minutia is dropped');
    t.same(Array.from(bytes.subarray(0, 3)), [0, 0, 0b01 << 6]);
    t.equal(bytes[3], Math.round(100 / PX_PER_UNIT));
    t.equal(bytes[4], Math.round(250.4 / PX_PER_UNIT));
    t.equal(bytes[5], (0b10 << 6) | 16, 'bifurcation at π/2 is angle 16 of 64');
    t.end();
  });

  t.test('round-trips within one unit of position and half an angle step', (t) => {
    const back = decodeCompactCard(encodeCompactCard(template), { width: 300, height: 400, quality: 50 });
    t.equal(back.minutiae.length, 3);
    template.minutiae.slice(0, 3).forEach((m, i) => {
      const d = back.minutiae[i];
      t.ok(Math.abs(d.x - m.x) <= PX_PER_UNIT / 2 + 1e-9 && Math.abs(d.y - m.y) <= PX_PER_UNIT / 2 + 1e-9, `position ${i}`);
      t.ok(angleDiff(d.direction, m.direction) <= Math.PI / 64 + 1e-9, `angle ${i}`);
      t.equal(d.type, m.type);
      t.equal(d.quality, 50);
    });
    t.end();
  });

  t.test('keeps the best minutiae in ISO removal order when the card takes fewer', (t) => {
    const ms: Minutia[] = [
      { x: 100, y: 100, direction: 0, type: 'ending', quality: 50 },
      { x: 10, y: 10, direction: 0, type: 'ending', quality: 50 }, // same quality, far from centre
      { x: 110, y: 110, direction: 0, type: 'ending', quality: 20 },
      { x: 120, y: 100, direction: 0, type: 'ending', quality: 90 },
    ];
    const back = decodeCompactCard(encodeCompactCard({ width: 300, height: 300, minutiae: ms }, { maxMinutiae: 2 }));
    t.same(back.minutiae.map((m) => Math.round(m.x)), [100, 120], 'original order, lowest quality and farthest removed');
    t.end();
  });

  t.test('rejects malformed data with a TemplateError code', (t) => {
    t.throws(() => decodeCompactCard(new Uint8Array(4)), { name: 'TemplateError', code: 'TRUNCATED' });
    t.throws(() => decodeCompactCard(Uint8Array.of(1, 1, 0xc0)), { code: 'OUT_OF_RANGE', message: /type bits/ });
    t.throws(() => decodeCompactCard(Uint8Array.of(200, 1, 0x40), { width: 300 }), { code: 'OUT_OF_RANGE', message: /outside/ });
    t.throws(() => decodeCompactCard(Uint8Array.of(1, 1, 0x40), { quality: 101 }), { code: 'OUT_OF_RANGE' });
    t.throws(() => decodeCompactCard([1, 2, 3] as unknown as Uint8Array), { code: 'INVALID_TEMPLATE' });
    t.throws(() => encodeCompactCard(template, { maxMinutiae: -1 }), { code: 'OUT_OF_RANGE' });
    t.end();
  });

  t.test('fuzz: any bytes decode or throw TemplateError', (t) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        const tpl = decodeCompactCard(bytes);
        return tpl.minutiae.length === bytes.length / 3 && tpl.minutiae.every((m) => m.x < COMPACT_CARD_EXTENT_PX);
      } catch (err) {
        if (err instanceof TemplateError) return true;
        throw err;
      }
    }), { numRuns: 3000, seed: 3 });
    t.end();
  });
  t.end();
});
