import { toA00, wrap } from '../../drivers/display/charset.ts';
import type { TxState } from '../transaction/states.ts';

/** Everything the operator's screen shows; built by the presenter from runner events. */
export interface ScreenView {
  readonly state: TxState;
  /** Queue numbers still waiting at intake. */
  readonly waiting: number;
  readonly maxAttempts: number;
  /** The current notice (cleared when the state changes) or an active device fault. */
  readonly message: { readonly code: string; readonly text: string } | null;
}

interface StateLine {
  /** Row 0, left of the queue number. */
  readonly label: string;
  /** Row 1: what the operator does now (or attempts left). */
  readonly hint: (s: TxState, v: ScreenView) => string;
  /** Rows 2-3 when there is no message. */
  readonly detail?: (s: TxState) => string;
}

const FINGER = { right_index: 'Telunjuk KANAN', left_index: 'Telunjuk KIRI' } as const;

/**
 * Per state, in the SOP's words. Keyed by name, so a state this table does not know yet still
 * shows its name and the message instead of breaking the screen.
 */
const STATES: Readonly<Record<string, StateLine>> = {
  IDLE: { label: 'SIAP', hint: (_, v) => (v.waiting > 0 ? `Menunggu: ${v.waiting} orang` : 'Antrean kosong'), detail: () => 'Tekan PANGGIL' },
  CALLED: { label: 'DIPANGGIL', hint: () => 'Minta nomor antrean', detail: () => 'Letakkan KTP-el di pembaca kartu' },
  READING_CARD: { label: 'BACA CHIP', hint: () => 'Jangan angkat kartu' },
  DATA_CHECK: { label: 'PENCOCOKAN', hint: () => 'SESUAI atau SANGGAH', detail: () => 'Penduduk mencocokkan slip dengan kartu' },
  DISPUTE_REVIEW: {
    label: 'SANGGAHAN',
    hint: (s) => (s.name === 'DISPUTE_REVIEW' && s.comparing ? 'Cek dok. pengesahan' : 'Kartu sama dgn slip?'),
    detail: (s) => (s.name === 'DISPUTE_REVIEW' && s.comparing ? '' : 'SESUAI = sama SANGGAH = beda'),
  },
  VERIFY_FINGER: {
    label: 'SIDIK JARI',
    hint: (s, v) => (s.name === 'VERIFY_FINGER' ? `Sisa percobaan: ${Math.max(0, v.maxAttempts - s.progress.attempts)}` : ''),
    detail: (s) => (s.name === 'VERIFY_FINGER' ? FINGER[s.progress.finger] : ''),
  },
  HANDOVER: { label: 'BERHASIL', hint: () => 'Serahkan KTP-el', detail: () => 'Tanda terima ditandatangani, lalu SESUAI' },
  RETURN_DOCS: { label: 'GAGAL', hint: () => 'Kembalikan dokumen', detail: () => 'KTP lama dan surat panggilan ke penduduk, lalu SESUAI' },
  // Not a verdict (operator guide E): the e-KTP goes back to the office's store for a later visit.
  UNVERIFIED: { label: 'BELUM DIVERIF.', hint: () => 'KTP-el ke lemari', detail: () => 'Kembalikan/simpan dokumen, lalu SESUAI' },
};

/**
 * The screen as `rows` strings: state and queue number, then what to do (or attempts left),
 * then the Bahasa text of the current notice or fault, word-wrapped. A message longer than the
 * lower rows takes the hint row too; one longer than that ends in ".." (operatorMessages keeps
 * every text within three 20-column rows; test/agent/display/screen.test.ts holds it to that).
 */
export function screenLines(view: ScreenView, columns: number, rows: number): string[] {
  const s = view.state;
  const line = STATES[s.name] ?? { label: s.name, hint: () => '' };
  const queue = 'tx' in s ? s.tx.queueNumber : '';
  const label = toA00(line.label).slice(0, Math.max(0, columns - queue.length - 1));
  const top = queue ? label.padEnd(columns - queue.length) + queue : label;
  const hint = line.hint(s, view);
  const below = rows - 2;
  if (view.message) {
    const text = wrap(toA00(view.message.text), columns);
    if (text.length <= below) return fill([top, hint, ...text], rows);
    const room = rows - 1;
    const shown = text.slice(0, room);
    if (text.length > room) shown[room - 1] = shown[room - 1].slice(0, columns - 2).padEnd(columns - 2) + '..';
    return fill([top, ...shown], rows);
  }
  return fill([top, hint, ...wrap(toA00(line.detail?.(s) ?? ''), columns).slice(0, below)], rows);
}

function fill(lines: string[], rows: number): string[] {
  return Array.from({ length: rows }, (_, i) => lines[i] ?? '');
}
