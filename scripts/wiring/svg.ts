import { REFERENCE_PARTS } from '../../agent/doctor/referenceParts.ts';
import { HEADER, type HeaderPin } from './header.ts';
import { BUTTON_SERIES_OHMS, GROUND_PINS, REFERENCE_CONFIG, SUPPLY_PINS, type I2cPart, type Wiring } from './referenceBuild.ts';

/**
 * Draws the wiring as a picture: the 40-pin header seen from above (pin 1 top left), buttons on the
 * left, LEDs on the right, the I2C parts above the buttons, USB and power in the top right corner.
 * Every panel wire is one straight line from its pin, so a wire can be followed by eye. Output is
 * a pure function of the wiring (no dates, no randomness): the test compares it byte for byte.
 */

const W = 1280;
const H = 880;
const ROW0 = 150;
const PITCH = 28;
const X_ODD = 620;
const X_EVEN = 660;
const PIN_R = 9;

const C = {
  v5: '#d32f2f',
  v3: '#f57c00',
  gnd: '#212121',
  sda: '#1565c0',
  scl: '#c79100',
  button: '#6a1b9a',
  unused: '#b0b0b0',
  board: '#1b5e20',
  usb: '#546e7a',
  text: '#212121',
  muted: '#757575',
};

const rowOf = (pin: number) => Math.floor((pin - 1) / 2);
const yOf = (pin: number) => ROW0 + rowOf(pin) * PITCH;
const isLeft = (pin: number) => pin % 2 === 1;
const xOf = (pin: number) => (isLeft(pin) ? X_ODD : X_EVEN);
/** Where a wire leaves a pin: the circle's outer edge. */
const xOut = (pin: number) => (isLeft(pin) ? X_ODD - PIN_R : X_EVEN + PIN_R);

function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function text(x: number, y: number, s: string, opts: { size?: number; anchor?: 'start' | 'middle' | 'end'; fill?: string; weight?: 'bold' } = {}): string {
  const a = opts.anchor && opts.anchor !== 'start' ? ` text-anchor="${opts.anchor}"` : '';
  const w = opts.weight ? ` font-weight="${opts.weight}"` : '';
  return `<text x="${x}" y="${y}" font-size="${opts.size ?? 12}"${a}${w} fill="${opts.fill ?? C.text}">${esc(s)}</text>`;
}

function line(points: ReadonlyArray<readonly [number, number]>, colour: string, width = 3): string {
  const d = points.map(([x, y]) => `${x},${y}`).join(' ');
  return `<polyline points="${d}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round" stroke-linecap="round"/>`;
}

const dot = (x: number, y: number, colour: string) => `<circle cx="${x}" cy="${y}" r="4.5" fill="${colour}"/>`;

/** A resistor on a horizontal wire, centred at x, value written above it. */
function resistor(x: number, y: number, label: string): string {
  return [
    `<rect x="${x - 20}" y="${y - 6}" width="40" height="12" rx="2" fill="#f5e6c8" stroke="#6d4c41" stroke-width="1.5"/>`,
    text(x, y - 10, label, { size: 11, anchor: 'middle', fill: '#6d4c41' }),
  ].join('');
}

/** A normally-open push button between x1 (left) and x2 (right) on a horizontal wire. */
function pushButton(x1: number, x2: number, y: number): string {
  const mid = (x1 + x2) / 2;
  return [
    `<rect x="${x1 - 2}" y="${y - 4}" width="${x2 - x1 + 4}" height="8" fill="#ffffff"/>`,
    `<circle cx="${x1}" cy="${y}" r="3.5" fill="#ffffff" stroke="${C.text}" stroke-width="2"/>`,
    `<circle cx="${x2}" cy="${y}" r="3.5" fill="#ffffff" stroke="${C.text}" stroke-width="2"/>`,
    line([[x1 - 4, y - 9], [x2 + 4, y - 9]], C.text, 2.5),
    line([[mid, y - 9], [mid, y - 14]], C.text, 2.5),
    `<rect x="${mid - 7}" y="${y - 19}" width="14" height="5" rx="1.5" fill="${C.button}"/>`,
  ].join('');
}

/** An LED pointing right (anode left) centred at x, in its own colour. */
function led(x: number, y: number, colour: string): string {
  return [
    `<polygon points="${x - 9},${y - 9} ${x - 9},${y + 9} ${x + 7},${y}" fill="${colour}" stroke="${C.text}" stroke-width="1.5"/>`,
    line([[x + 8, y - 9], [x + 8, y + 9]], C.text, 2.5),
    line([[x + 2, y - 12], [x + 8, y - 18]], colour, 1.5),
    line([[x + 7, y - 10], [x + 13, y - 16]], colour, 1.5),
  ].join('');
}

function pinLabel(p: HeaderPin): string {
  if (p.kind === 'power') return p.volts === 5 ? '5V' : '3V3';
  if (p.kind === 'ground') return 'GND';
  return p.alt ? `GPIO${p.bcm} ${p.alt}` : `GPIO${p.bcm}`;
}

function pinFill(p: HeaderPin, used: ReadonlySet<number>): string {
  if (p.kind === 'power') return p.volts === 5 ? C.v5 : C.v3;
  if (p.kind === 'ground') return C.gnd;
  return used.has(p.pin) ? '#388e3c' : '#9e9e9e';
}

function header(used: ReadonlySet<number>): string {
  const top = ROW0 - 22;
  const bottom = ROW0 + 19 * PITCH + 22;
  const out = [
    `<rect x="${X_ODD - 40}" y="${top - 26}" width="${X_EVEN - X_ODD + 80}" height="${bottom - top + 52}" rx="10" fill="${C.board}"/>`,
    text((X_ODD + X_EVEN) / 2, top - 9, 'J8', { size: 13, anchor: 'middle', fill: '#ffffff', weight: 'bold' }),
    `<rect x="${X_ODD - 17}" y="${top}" width="${X_EVEN - X_ODD + 34}" height="${bottom - top}" rx="3" fill="#263238"/>`,
  ];
  for (const p of HEADER) {
    const x = xOf(p.pin);
    const y = yOf(p.pin);
    const fill = pinFill(p, used);
    out.push(
      p.pin === 1
        ? `<rect x="${x - PIN_R}" y="${y - PIN_R}" width="${2 * PIN_R}" height="${2 * PIN_R}" fill="${fill}" stroke="#ffffff" stroke-width="1"/>`
        : `<circle cx="${x}" cy="${y}" r="${PIN_R}" fill="${fill}" stroke="#ffffff" stroke-width="1"/>`,
    );
    out.push(text(x, y + 3.5, String(p.pin), { size: 9, anchor: 'middle', fill: '#ffffff', weight: 'bold' }));
    const labelX = isLeft(p.pin) ? X_ODD - 50 : X_EVEN + 50;
    out.push(
      text(labelX, y - 5, pinLabel(p), {
        size: 11,
        anchor: isLeft(p.pin) ? 'end' : 'start',
        fill: used.has(p.pin) ? C.text : C.muted,
        weight: used.has(p.pin) ? 'bold' : undefined,
      }),
    );
  }
  return out.join('\n');
}

/** Left rows the I2C drawing occupies; a panel line there would run through the I2C parts. */
const I2C_ROWS_LEFT = { from: 0, to: 13 };

function buttons(w: Wiring): string {
  const out: string[] = [];
  const RAIL = 330;
  const ys: number[] = [];
  for (const b of w.buttons) {
    if (!isLeft(b.pin) || rowOf(b.pin) <= I2C_ROWS_LEFT.to) {
      throw new Error(`button ${b.name} on pin ${b.pin}: the drawing puts buttons on the left column below the I2C parts (pins 29-39)`);
    }
    const y = yOf(b.pin);
    ys.push(y);
    out.push(line([[xOut(b.pin), y], [RAIL, y]], C.button));
    out.push(resistor(480, y, '1 kΩ'));
    out.push(pushButton(385, 425, y));
    out.push(dot(RAIL, y, C.gnd));
    out.push(text(RAIL - 12, y + 4, b.name.replace('_', ' '), { size: 13, anchor: 'end', weight: 'bold', fill: C.button }));
  }
  const g = GROUND_PINS.buttons;
  const gy = yOf(g);
  out.push(line([[xOut(g), gy], [RAIL, gy]], C.gnd));
  out.push(line([[RAIL, Math.min(...ys, gy)], [RAIL, Math.max(...ys, gy)]], C.gnd, 3.5));
  out.push(text(RAIL - 12, gy + 4, 'GND', { size: 13, anchor: 'end', weight: 'bold' }));
  const pullups = w.bootConfig.find((l) => l.endsWith('=ip,pu')) ?? '';
  out.push(text(40, NOTES_Y, `Tombol: normally open, ke GND (aktif rendah). Pull-up internal dari config.txt: ${pullups}`, { size: 12 }));
  out.push(text(40, NOTES_Y + 18, `Antara pin dan tombol ${BUTTON_SERIES_OHMS / 1000} kΩ (pelindung bila pin salah jadi output). Debounce ${w.debounceMs} ms, tekan lama ${w.longPressMs} ms.`, { size: 12 }));
  return out.join('\n');
}

function leds(w: Wiring): string {
  const out: string[] = [];
  const RAIL = 960;
  const ys: number[] = [];
  for (const l of w.leds) {
    if (isLeft(l.pin)) throw new Error(`LED ${l.name} on pin ${l.pin}: the drawing puts LEDs on the right column (even pins)`);
    const y = yOf(l.pin);
    ys.push(y);
    out.push(line([[xOut(l.pin), y], [RAIL, y]], l.part.hex));
    out.push(resistor(820, y, `${l.part.ohms} Ω`));
    out.push(led(895, y, l.part.hex));
    out.push(dot(RAIL, y, C.gnd));
    out.push(
      `<text x="${RAIL + 14}" y="${y + 4}" font-size="13"><tspan font-weight="bold" fill="${l.part.hex}">${l.name.replace('_', ' ')}</tspan>` +
        `<tspan dx="7" font-size="11" fill="${C.muted}">${l.part.colour}, ${l.milliamps.toFixed(1).replace('.', ',')} mA</tspan></text>`,
    );
  }
  const g = GROUND_PINS.leds;
  const gy = yOf(g);
  out.push(line([[xOut(g), gy], [RAIL, gy]], C.gnd));
  out.push(line([[RAIL, Math.min(...ys, gy)], [RAIL, Math.max(...ys, gy)]], C.gnd, 3.5));
  out.push(text(RAIL + 14, gy + 4, 'GND', { size: 13, weight: 'bold' }));
  const total = w.leds.reduce((s, l) => s + l.milliamps, 0);
  out.push(text(720, NOTES_Y, `LED: pin → resistor → anoda (kaki panjang), katoda → GND. Aktif tinggi, ${GPIO_V} V.`, { size: 12 }));
  out.push(text(720, NOTES_Y + 18, `Semua menyala: ${total.toFixed(1).replace('.', ',')} mA dari header (batas aman 50 mA).`, { size: 12 }));
  return out.join('\n');
}
const GPIO_V = '3,3';
/** First line of the notes under the header. */
const NOTES_Y = 760;

function box(x: number, y: number, w: number, h: number, title: string, lines: readonly string[], stroke = C.text): string {
  const out = [`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" fill="#ffffff" stroke="${stroke}" stroke-width="2"/>`];
  out.push(text(x + w / 2, y + h / 2 - (lines.length * 14) / 2 + 4, title, { size: 12.5, anchor: 'middle', weight: 'bold' }));
  lines.forEach((l, i) => out.push(text(x + w / 2, y + h / 2 - (lines.length * 14) / 2 + 19 + i * 14, l, { size: 11, anchor: 'middle', fill: C.muted })));
  return out.join('');
}

/** Terminal name written just inside a box edge. */
const term = (x: number, y: number, s: string) => text(x, y, s, { size: 9.5, anchor: 'middle', fill: C.muted });

function i2c(w: Wiring): string {
  const rtc = w.i2c.find((d) => d.id === 'rtc') as I2cPart;
  const lcd = w.i2c.find((d) => d.id === 'display') as I2cPart;
  const hex = (a: number) => `0x${a.toString(16).padStart(2, '0')}`;
  const out: string[] = [];
  const y3 = yOf(SUPPLY_PINS.v3);
  const ySda = yOf(3);
  const yScl = yOf(5);
  const yGnd = yOf(GROUND_PINS.i2c);
  // The buses: straight from the pins to the leftmost drop.
  const BUS_END = 175;
  out.push(line([[xOut(SUPPLY_PINS.v3), y3], [BUS_END, y3]], C.v3));
  out.push(line([[xOut(3), ySda], [BUS_END + 30, ySda]], C.sda));
  out.push(line([[xOut(5), yScl], [BUS_END + 60, yScl]], C.scl));
  out.push(line([[xOut(GROUND_PINS.i2c), yGnd], [BUS_END + 90, yGnd]], C.gnd));

  // Level shifter: low side up to the Pi's buses, high side down to the display.
  const LS = { x: 150, y: 320, w: 140, h: 92 };
  const cols = [BUS_END, BUS_END + 30, BUS_END + 60, BUS_END + 90];
  const busY = [y3, ySda, yScl, yGnd];
  const busC = [C.v3, C.sda, C.scl, C.gnd];
  cols.forEach((x, i) => out.push(line([[x, busY[i]], [x, LS.y]], busC[i])));
  // RTC: all four terminals on the 3.3 V side.
  const RT = { x: 315, y: 320, w: 130, h: 92 };
  const rcols = [332, 364, 396, 428];
  rcols.forEach((x, i) => {
    out.push(line([[x, busY[i]], [x, RT.y]], busC[i]));
    out.push(dot(x, busY[i], busC[i]));
  });
  out.push(box(LS.x, LS.y, LS.w, LS.h, 'Level shifter', ['BSS138, 4 kanal', 'LV 3,3 V ↔ HV 5 V']));
  ['LV', 'LV1', 'LV2', 'GND'].forEach((s, i) => out.push(term(cols[i], LS.y + 13, s)));
  ['HV', 'HV1', 'HV2', 'GND'].forEach((s, i) => out.push(term(cols[i], LS.y + LS.h - 5, s)));
  out.push(box(RT.x, RT.y, RT.w, RT.h, 'RTC DS3231', [`I2C ${hex(rtc.address)}, 3,3 V`, 'baterai CR2032']));
  ['VCC', 'SDA', 'SCL', 'GND'].forEach((s, i) => out.push(term(rcols[i], RT.y + 13, s)));

  // Display below the shifter, 5 V side.
  const LCD = { x: 70, y: 452, w: 300, h: 70 };
  const lcdC = [C.v5, C.sda, C.scl, C.gnd];
  cols.forEach((x, i) => out.push(line([[x, LS.y + LS.h], [x, LCD.y]], lcdC[i])));
  out.push(
    box(LCD.x, LCD.y, LCD.w, LCD.h, 'Layar LCD 20×4 (HD44780 + PCF8574)', [
      `I2C ${hex(lcd.address)}, 5 V${lcd.source === 'config' ? '' : ' (alamat dari tabel acuan)'}`,
      'pull-up 5 V modul hanya di sisi HV',
    ]),
  );
  ['VCC', 'SDA', 'SCL', 'GND'].forEach((s, i) => out.push(term(cols[i], LCD.y + 12, s)));

  // 5 V from pin 2: over the top of the header, down to the shifter's HV side and the display.
  const y5 = yOf(SUPPLY_PINS.v5);
  const xj = cols[0];
  const yj = (LS.y + LS.h + LCD.y) / 2;
  out.push(line([[xOut(SUPPLY_PINS.v5), y5], [X_EVEN + 45, y5], [X_EVEN + 45, 92], [110, 92], [110, yj], [xj, yj]], C.v5));
  out.push(dot(xj, yj, C.v5));
  out.push(text(120, 86, '5V dari pin 2', { size: 11, fill: C.v5, weight: 'bold' }));
  out.push(text(20, 150, `Bus I2C ${w.i2cBus}`, { size: 13, weight: 'bold' }));
  out.push(text(20, 166, 'SDA pin 3', { size: 11, fill: C.muted }));
  out.push(text(20, 180, 'SCL pin 5', { size: 11, fill: C.muted }));
  return out.join('\n');
}

function usbAndPower(): string {
  const out: string[] = [];
  const X = 790;
  const rows: Array<[string, string, string]> = [
    ['USB 2.0', REFERENCE_PARTS.cardReader.part, 'pembaca e-KTP + slot SAM (USB 072f:223b)'],
    ['USB 2.0', REFERENCE_PARTS.sensor.part, 'sensor sidik jari (USB 05ba:000a)'],
    ['USB 3.0', REFERENCE_PARTS.printer.part, 'printer, catu daya sendiri'],
    ['USB-C', 'Catu daya 5,1 V 3 A', 'adaptor resmi Raspberry Pi'],
  ];
  out.push(text(X, 112, 'Tanpa pin header (kabel USB):', { size: 13, weight: 'bold' }));
  rows.forEach(([port, part, what], i) => {
    const y = 132 + i * 44;
    out.push(`<rect x="${X}" y="${y}" width="62" height="30" rx="4" fill="${C.usb}"/>`);
    out.push(text(X + 31, y + 19, port, { size: 11, anchor: 'middle', fill: '#ffffff', weight: 'bold' }));
    out.push(line([[X + 62, y + 15], [X + 92, y + 15]], C.usb, 5));
    out.push(text(X + 100, y + 12, part, { size: 12.5, weight: 'bold' }));
    out.push(text(X + 100, y + 27, what, { size: 11, fill: C.muted }));
  });
  return out.join('\n');
}

function legend(): string {
  const items: Array<[string, string]> = [
    [C.v5, '5 V'],
    [C.v3, '3,3 V'],
    [C.gnd, 'GND'],
    [C.sda, 'SDA'],
    [C.scl, 'SCL'],
    [C.button, 'tombol'],
  ];
  const y = H - 40;
  const out = [text(40, y + 4, 'Warna kabel:', { size: 12, weight: 'bold' })];
  items.forEach(([c, s], i) => {
    const x = 150 + i * 92;
    out.push(line([[x, y], [x + 28, y]], c, 4));
    out.push(text(x + 34, y + 4, s, { size: 12 }));
  });
  out.push(text(720, y + 4, 'LED: kabel berwarna sama dengan LED-nya.', { size: 12 }));
  return out.join('\n');
}

export function wiringSvg(w: Wiring): string {
  const used = new Set<number>([
    ...w.buttons.map((b) => b.pin),
    ...w.leds.map((l) => l.pin),
    SUPPLY_PINS.v3,
    SUPPLY_PINS.v5,
    3,
    5,
    ...Object.values(GROUND_PINS),
  ]);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Verdana, Arial, sans-serif">`,
    `<title>Reference wiring: ${esc(REFERENCE_PARTS.board.part)}, buttons, LEDs, RTC and display</title>`,
    `<rect width="${W}" height="${H}" fill="#fafafa"/>`,
    text(40, 36, `Kotak loket e-KTP: kabel ke header J8 ${REFERENCE_PARTS.board.part} (dilihat dari atas, pin 1 = kotak, kiri atas)`, {
      size: 18,
      weight: 'bold',
    }),
    text(40, 58, `Dibuat oleh scripts/wiring.ts dari ${REFERENCE_CONFIG} (chip ${w.chip}). Jangan diedit tangan: npm run wiring.`, {
      size: 12,
      fill: C.muted,
    }),
    header(used),
    i2c(w),
    buttons(w),
    leds(w),
    usbAndPower(),
    legend(),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
