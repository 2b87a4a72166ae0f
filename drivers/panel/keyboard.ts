import type { SimPanel } from './sim.ts';
import type { ButtonName } from './types.ts';

export const KEY_BUTTONS: Readonly<Record<string, ButtonName>> = { p: 'PANGGIL', s: 'SESUAI', d: 'SANGGAH', j: 'JARI_LAIN', b: 'BATAL' };

export const KEYBOARD_LEGEND = `Tombol panel (keyboard):
  p  PANGGIL     panggil nomor antrean berikut
  s  SESUAI      data sesuai
  d  SANGGAH     penduduk menyanggah data
  j  JARI LAIN   coba jari telunjuk yang lain
  b  BATAL       batalkan
  huruf besar (P S D J B) = tekan lama tombol itu
  r  cetak ulang slip terakhir   (= tekan lama BATAL + PANGGIL)
  l  laporan harian              (= tekan lama SESUAI + SANGGAH)
  Ctrl-C  keluar
`;

/**
 * Drives a SimPanel from the keyboard for the interactive demo: stdin in raw mode, one key per
 * press, a legend printed once. Returns a function that restores the terminal.
 */
export function attachKeyboard(
  panel: SimPanel,
  io: { input: NodeJS.ReadStream | NodeJS.ReadableStream; write: (s: string) => void; onQuit?: () => void },
): () => void {
  const input = io.input as NodeJS.ReadStream;
  const raw = Boolean(input.isTTY && input.setRawMode);
  if (raw) input.setRawMode(true);
  io.write(KEYBOARD_LEGEND);
  const onData = (buf: Buffer | string) => {
    for (const key of buf.toString()) {
      if (key === '\u0003') {
        io.onQuit?.();
        continue;
      }
      try {
        const button = KEY_BUTTONS[key];
        const longButton = KEY_BUTTONS[key.toLowerCase()];
        if (button) panel.press(button);
        else if (longButton) panel.longPress(longButton);
        else if (key === 'r') panel.chord('BATAL', 'PANGGIL');
        else if (key === 'l') panel.chord('SESUAI', 'SANGGAH');
      } catch (err) {
        io.write(`! ${(err as Error).message}\n`);
      }
    }
  };
  input.on('data', onData);
  input.resume();
  return () => {
    input.off('data', onData);
    if (raw) input.setRawMode(false);
    input.pause();
  };
}
