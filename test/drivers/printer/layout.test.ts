import t from 'tap';
import { toAscii } from '../../../drivers/printer/ascii.ts';
import { renderText, wrap } from '../../../drivers/printer/layout.ts';

t.test('toAscii', async (t) => {
  t.test('strips accents from foreign names', async (t) => {
    t.equal(toAscii('André Müller Çelik Ñoño'), 'Andre Muller Celik Nono');
  });
  t.test('spells out letters that have no accent-free form', async (t) => {
    t.equal(toAscii('Łukasz Straße Øre'), 'Lukasz Strasse Ore');
  });
  t.test('turns anything else into ? so no wrong glyph is printed', async (t) => {
    t.equal(toAscii('李 😀 \u0007'), '? ? ?');
  });
});

t.test('wrap', async (t) => {
  t.test('breaks between words and never exceeds the width', async (t) => {
    t.same(wrap('Layanan ini tidak dipungut biaya', 12), ['Layanan ini', 'tidak', 'dipungut', 'biaya']);
  });
  t.test('breaks a long transaction id after a dash', async (t) => {
    t.same(wrap('7f3c9a2e-5b1d-4c8e-9f60-2a4d8b1e6c37', 32), ['7f3c9a2e-5b1d-4c8e-9f60-', '2a4d8b1e6c37']);
  });
  t.test('keeps the paragraph indent and adds the hanging indent to continuations', async (t) => {
    t.same(wrap('   Alasan: Kartu rusak total', 20, 8), ['   Alasan: Kartu', '           rusak', '           total']);
  });
});

t.test('renderText', async (t) => {
  t.test('centers, right-aligns and letter-spaces double-size text', async (t) => {
    const lines = renderText(
      {
        kind: 'x',
        lines: [
          { kind: 'text', text: 'AB', align: 'center' },
          { kind: 'text', text: 'AB', align: 'right' },
          { kind: 'text', text: 'A012', align: 'center', size: 2 },
        ],
      },
      32,
    );
    t.same(lines, [' '.repeat(15) + 'AB', ' '.repeat(30) + 'AB', ' '.repeat(12) + 'A 0 1 2']);
  });
  t.test('pads a pair to the full width and splits it when it cannot fit', async (t) => {
    const lines = renderText(
      { kind: 'x', lines: [{ kind: 'pair', left: 'Stok', right: '12' }, { kind: 'pair', left: 'x'.repeat(30), right: 'yyyy' }] },
      32,
    );
    t.same(lines, ['Stok' + ' '.repeat(26) + '12', 'x'.repeat(30), ' '.repeat(28) + 'yyyy']);
  });
  t.test('wraps a field value under itself', async (t) => {
    const lines = renderText({ kind: 'x', lines: [{ kind: 'field', label: 'Alamat', value: 'JL. KALIURANG KM 7 NO. 12' }] }, 32);
    t.same(lines, ['Alamat    : JL. KALIURANG KM 7', '            NO. 12']);
  });
});
