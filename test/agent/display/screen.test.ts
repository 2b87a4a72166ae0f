import t from 'tap';
import { screenLines, type ScreenView } from '../../../agent/display/screen.ts';
import { OPERATOR_MESSAGES } from '../../../agent/operatorMessages.ts';
import type { TxInfo, TxState } from '../../../agent/transaction/states.ts';
import { wrap } from '../../../drivers/display/charset.ts';

const tx: TxInfo = { id: 'tx-1', ticketId: 1, residentId: 1, queueNumber: 'A-012', startedAt: '2026-11-27T01:00:00Z' };
const view = (state: TxState, message: ScreenView['message'] = null): ScreenView => ({ state, waiting: 3, maxAttempts: 4, message });
const verify: TxState = {
  name: 'VERIFY_FINGER',
  tx,
  referral: false,
  progress: { fingers: ['right_index', 'left_index'], finger: 'left_index', attempts: 1, attemptsOnFinger: 0, qualityRetries: 0 },
};

t.test('every operator message fits the lower three rows of a 20x4 display', async (t) => {
  for (const [code, m] of Object.entries(OPERATOR_MESSAGES)) t.ok(wrap(m.text, 20).length <= 3, `${code}: "${m.text}"`);
});

t.test('shows state, queue number, attempts left and the finger', async (t) => {
  t.same(screenLines(view(verify), 20, 4), ['SIDIK JARI     A-012', 'Sisa percobaan: 3', 'Telunjuk KIRI', '']);
  t.same(screenLines(view({ name: 'IDLE' }), 20, 4), ['SIAP', 'Menunggu: 3 orang', 'Tekan PANGGIL', '']);
  t.same(screenLines(view({ name: 'CALLED', tx, calls: 1 }), 20, 4), ['DIPANGGIL      A-012', 'Minta nomor antrean', 'Letakkan KTP-el di', 'pembaca kartu']);
});

t.test('"belum dapat diverifikasi" is named in Bahasa Indonesia, never by the state machine\'s name', async (t) => {
  const unverified: TxState = { name: 'UNVERIFIED', tx, reason: 'device_fault', attempts: 0, finger: 'right_index' };
  const lines = screenLines(view(unverified), 20, 4);
  t.same(lines, ['BELUM DIVERIF. A-012', 'KTP-el ke lemari', 'Kembalikan/simpan', 'dokumen, lalu SESUAI']);
  t.notMatch(lines.join('\n'), /UNVERIFIED/);
});

t.test('the dispute asks the operator to compare the card with the chip slip', async (t) => {
  const review = (comparing: boolean): TxState => ({ name: 'DISPUTE_REVIEW', tx, fingers: ['right_index'], comparing });
  t.same(screenLines(view(review(false)), 20, 4), ['SANGGAHAN      A-012', 'Kartu sama dgn slip?', 'SESUAI = sama', 'SANGGAH = beda']);
  t.same(screenLines(view(review(true)), 20, 4), ['SANGGAHAN      A-012', 'Cek dok. pengesahan', '', '']);
});

t.test('a notice replaces the detail rows; a long one takes the hint row too', async (t) => {
  const fp = OPERATOR_MESSAGES.FP_NO_MATCH.text;
  t.same(screenLines(view(verify, { code: 'FP_NO_MATCH', text: fp }), 20, 4), ['SIDIK JARI     A-012', 'Sisa percobaan: 3', 'Sidik jari tidak', 'cocok. Ulangi.']);
  const paper = OPERATOR_MESSAGES.PAPER_OUT.text;
  t.same(screenLines(view({ name: 'IDLE' }, { code: 'PAPER_OUT', text: paper }), 20, 4), ['SIAP', 'Kertas printer', 'habis. Ganti', 'gulungan kertas.']);
  const long = 'satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas dua belas';
  const lines = screenLines(view({ name: 'IDLE' }, { code: 'X', text: long }), 20, 4);
  t.equal(lines.length, 4);
  t.match(lines[3], /\.\.$/);
  t.ok(lines.every((l) => l.length <= 20));
});

t.test('fits a 16x2 module and an unknown state', async (t) => {
  t.same(screenLines(view(verify, { code: 'NO_FINGER', text: OPERATOR_MESSAGES.NO_FINGER.text }), 16, 2), ['SIDIK JARI A-012', 'Tempelkan jari..']);
  t.same(screenLines(view({ name: 'SOMETHING_NEW', tx } as unknown as TxState), 20, 4), ['SOMETHING_NEW  A-012', '', '', '']);
});
