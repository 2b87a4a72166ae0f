import t from 'tap';
import { fitRow, toA00, wrap } from '../../../drivers/display/charset.ts';

t.test('toA00 keeps ASCII the A00 ROM draws as ASCII and replaces the rest', async (t) => {
  t.equal(toA00('Tempelkan jari telunjuk'), 'Tempelkan jari telunjuk');
  t.equal(toA00('ANDRÉ MÜLLER ŁUKASZ'), 'ANDRE MULLER LUKASZ');
  t.equal(toA00('a\\b~c'), 'a/b-c', 'yen sign and arrow codes are never sent');
  t.equal(toA00('Straße “x”…'), 'Strasse "x"...');
  for (const ch of toA00('ÀÉÎÕÜ ñ ç ß — ‘’ € ✓')) {
    const c = ch.charCodeAt(0);
    t.ok(c >= 0x20 && c <= 0x7d && c !== 0x5c, `0x${c.toString(16)} is drawn as ASCII by A00`);
  }
});

t.test('wrap breaks at words within the width and cuts words longer than a line', async (t) => {
  t.same(wrap('Kertas printer habis. Ganti gulungan kertas.', 20), ['Kertas printer', 'habis. Ganti', 'gulungan kertas.']);
  t.same(wrap('ABCDEFGHIJKLMNOPQRSTUVWXY Z', 20), ['ABCDEFGHIJKLMNOPQRST', 'UVWXY Z']);
  t.same(wrap('   ', 20), []);
  t.equal(fitRow('x', 5), 'x    ');
  t.equal(fitRow('ÉÉÉÉÉÉ', 5), 'EEEEE');
});
