import type { CardReader } from '../../drivers/card/types.ts';
import type { CardSlot } from './cardSlot.ts';
import type { SimFingerprintSensor } from '../../drivers/fingerprint/sim.ts';
import type { Panel, ButtonName } from '../../drivers/panel/types.ts';
import type { SimPrinter } from '../../drivers/printer/sim.ts';
import type { Counter } from '../counter.ts';
import { operatorMessage } from '../operatorMessages.ts';
import { frameLines } from '../../drivers/display/sim.ts';
import type { TxState } from '../transaction/states.ts';
import type { VirtualDay } from './virtualDay.ts';

export const LEGEND = `
 Simulasi loket KTP-el — tombol keyboard
 ─ Tombol panel ─────────────────────────────
   p  PANGGIL     panggil nomor antrean berikut
   s  SESUAI      data sesuai / serah terima selesai
   d  SANGGAH     penduduk menyanggah data; saat sanggahan: kartu beda dengan slip
   k  SANGGAH ditahan: KTP-el rusak
   j  JARI LAIN   ganti ke jari telunjuk lain
   b  BATAL       batalkan (dengan alasan)
   r  cetak ulang slip terakhir (tekan lama BATAL+PANGGIL)
   l  laporan harian (tekan lama SESUAI+SANGGAH)
 ─ Dunia simulasi ─────────────────────────────
   i  penduduk berikut datang ke meja antrean (serahkan KTP lama + surat panggilan)
   c  letakkan / angkat KTP-el penduduk yang dipanggil di pembaca
   f  penduduk menempelkan jarinya sendiri
   x  jari orang lain ditempelkan
   w  jari ditempel terlalu ringan
   q  keluar
`;

const BUTTON_KEYS: Record<string, ButtonName> = { p: 'PANGGIL', s: 'SESUAI', d: 'SANGGAH', j: 'JARI_LAIN', b: 'BATAL' };

/**
 * Keyboard console for the simulated counter: panel keys press the simulated buttons (the same
 * path as GPIO), world keys play the resident's side. Prints state changes, operator messages
 * and every slip as it comes out of the simulated printer.
 */
export function runSimConsole(
  counter: Counter,
  devices: { card: CardSlot; reader: CardReader; sensor: SimFingerprintSensor; panel: Panel & { press(b: ButtonName): void }; printer: SimPrinter },
  day: VirtualDay,
  io: { input: NodeJS.ReadStream; write: (s: string) => void },
): Promise<void> {
  const { write } = io;
  let nextIntake = 0;
  let attempt = 0;
  let printed = devices.printer.sheets.length;
  const calledResident = () => {
    const s = counter.runner.current();
    if (!('tx' in s)) return null;
    return day.played.find((p) => p.resident.letterNo === counter.ledger.residentById(s.tx.residentId).letterNo) ?? null;
  };
  const flushSlips = () => {
    for (; printed < devices.printer.sheets.length; printed++) {
      const sheet = devices.printer.sheets[printed];
      write(`\n┌── slip: ${sheet.kind} ${'─'.repeat(20)}\n${sheet.lines.map((l) => `│ ${l}`).join('\n')}\n└${'─'.repeat(34)}\n`);
    }
  };
  // The operator display's four lines, exactly as the presenter computes them for the LCD.
  const screen = () => frameLines(counter.screen.lines(), counter.screen.columns);
  const onState = (s: TxState) => {
    const leds = Object.entries(devices.panel.leds()).filter(([, p]) => p !== 'off').map(([l, p]) => `${l}:${p}`).join(' ');
    write(`» ${s.name}   [LED ${leds}]\n${screen()}\n`);
    setTimeout(flushSlips, 50);
  };
  const onNotice = (code: string) => write(`! ${operatorMessage(code).text} (${code})\n${screen()}\n`);
  counter.runner.on('state', onState);
  counter.runner.on('notice', onNotice);
  write(LEGEND);
  write(`${screen()}\n`);

  return new Promise((resolve) => {
    const onKey = (buf: Buffer) => {
      const key = buf.toString('utf8').toLowerCase();
      try {
        if (key === 'q' || key === '\u0003') {
          finish();
          return;
        }
        const button = BUTTON_KEYS[key];
        if (button) devices.panel.press(button);
        else if (key === 'k') devices.panel.emit('input', { kind: 'long', button: 'SANGGAH' });
        else if (key === 'r') devices.panel.emit('input', { kind: 'command', command: 'REPRINT_LAST' });
        else if (key === 'l') devices.panel.emit('input', { kind: 'command', command: 'DAILY_REPORT' });
        else if (key === 'i') {
          const p = day.played[nextIntake];
          if (!p) write('! semua penduduk sudah mengambil nomor antrean\n');
          else {
            nextIntake += 1;
            const t = counter.intake(p.resident.letterNo);
            write(`» nomor antrean ${t.number} untuk surat ${p.resident.letterNo}\n`);
          }
        } else if (key === 'c') {
          if (devices.reader.health().cardPresent) void devices.card.removeCard();
          else {
            const p = calledResident();
            if (p) void devices.card.insertCard(p.card);
            else write('! belum ada nomor yang dipanggil\n');
          }
        } else if (key === 'f' || key === 'x' || key === 'w') {
          const s = counter.runner.current();
          const p = calledResident();
          if (s.name !== 'VERIFY_FINGER' || !p) write('! sensor belum meminta jari\n');
          else {
            attempt += 1;
            const other = day.played[(day.played.indexOf(p) + 1) % day.played.length].resident;
            const finger = s.progress.finger;
            devices.sensor.present(
              key === 'f' ? day.world.genuine(p.resident, finger, attempt) : key === 'x' ? day.world.impostor(other, finger, attempt) : day.world.badFrame('too_light', attempt, p.resident),
            );
          }
        }
      } catch (err) {
        write(`! ${(err as Error).message}\n`);
      }
      setTimeout(flushSlips, 200);
    };
    const finish = () => {
      io.input.off('data', onKey);
      if (io.input.isTTY) io.input.setRawMode(false);
      io.input.pause();
      counter.runner.off('state', onState);
      counter.runner.off('notice', onNotice);
      resolve();
    };
    if (io.input.isTTY) io.input.setRawMode(true);
    io.input.resume();
    io.input.on('data', onKey);
  });
}
