import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_PARTS } from '../../agent/doctor/referenceParts.ts';
import { parsePanelConfig, type LineRefConfig } from '../../drivers/panel/factory.ts';
import { BUTTONS, LEDS, type ButtonName, type LedName } from '../../drivers/panel/types.ts';
import { headerPin, PI_HEADER_CHIPS, pinOfBcm, RESERVED_BCM } from './header.ts';

/**
 * The reference build's wiring, derived from systemd/config.reference.json (which lines the agent
 * drives) plus the few facts a config does not hold: LED colours and resistors, the buttons'
 * series resistor, the I2C parts and which ground pin each group uses. docs/wiring.svg and the
 * tables in docs/reference-build.md are generated from this, so they cannot drift from the config.
 */

export const ROOT = join(import.meta.dirname, '../..');
export const REFERENCE_CONFIG = 'systemd/config.reference.json';

/** GPIO high level on every Pi header; LED currents are computed from it. */
export const GPIO_VOLTS = 3.3;

export interface LedPart {
  /** Colour as printed on the panel label and in the parts list (Bahasa Indonesia). */
  readonly colour: 'merah' | 'kuning' | 'oranye' | 'hijau';
  /** Typical forward voltage of a standard 5 mm diffused LED of that colour at about 6 mA. */
  readonly vf: number;
  readonly ohms: number;
  /** Drawing colour (wire and LED body). */
  readonly hex: string;
}

const RED: Omit<LedPart, 'ohms'> = { colour: 'merah', vf: 2.0, hex: '#c62828' };
const ORANGE: Omit<LedPart, 'ohms'> = { colour: 'oranye', vf: 2.0, hex: '#ef6c00' };
const YELLOW: Omit<LedPart, 'ohms'> = { colour: 'kuning', vf: 2.1, hex: '#f9a825' };
const GREEN: Omit<LedPart, 'ohms'> = { colour: 'hijau', vf: 2.2, hex: '#2e7d32' };

/**
 * Blue and white LEDs (Vf about 3 V) are left out on purpose: from a 3.3 V pin their current would
 * depend on the LED's own spread, not on the resistor. Red, orange, yellow and green leave 1.1 to
 * 1.3 V across the resistor; E12 values give 5.5 to 6.1 mA, bright indoors and well under the
 * pin's default 8 mA drive.
 */
export const LED_PARTS: Readonly<Record<LedName, LedPart>> = {
  SIAP: { ...GREEN, ohms: 180 },
  SIBUK: { ...YELLOW, ohms: 220 },
  TEMPELKAN_JARI: { ...ORANGE, ohms: 220 },
  BERHASIL: { ...GREEN, ohms: 180 },
  GAGAL: { ...RED, ohms: 220 },
  GANGGUAN: { ...RED, ohms: 220 },
};

/**
 * Between the pin and the switch: a pin configured as an output by mistake and driven high would
 * otherwise be shorted to ground by a press; 1 kΩ limits that to 3.3 mA. Against the internal
 * pull-up (about 50 kΩ) a press still reads 0.07 V.
 */
export const BUTTON_SERIES_OHMS = 1000;

/** Ground pins: one per group, so each group's return is one wire. */
export const GROUND_PINS = { buttons: 39, leds: 34, i2c: 9 } as const;
/** Supply pins of the I2C parts. */
export const SUPPLY_PINS = { v3: 1, v5: 2 } as const;

export interface I2cPart {
  readonly id: 'rtc' | 'display';
  readonly part: string;
  readonly address: number;
  readonly supplyVolts: 3.3 | 5;
  /** 5 V parts sit behind the level shifter (their pull-ups would put 5 V on the Pi's pins). */
  readonly levelShifted: boolean;
  /** Where the address comes from: the config's devices.display, or this module's own entry. */
  readonly source: 'config' | 'reference table';
}

export interface WiredButton {
  readonly name: ButtonName;
  readonly bcm: number;
  readonly pin: number;
}
export interface WiredLed {
  readonly name: LedName;
  readonly bcm: number;
  readonly pin: number;
  readonly part: LedPart;
  readonly milliamps: number;
}

export interface Wiring {
  readonly chip: string;
  readonly debounceMs: number;
  readonly longPressMs: number;
  readonly buttons: readonly WiredButton[];
  readonly leds: readonly WiredLed[];
  readonly i2cBus: 1;
  readonly i2c: readonly I2cPart[];
  /** Lines for /boot/firmware/config.txt: I2C, the RTC overlay, button pull-ups, LEDs off at boot. */
  readonly bootConfig: readonly string[];
}

export function ledMilliamps(part: LedPart): number {
  return Math.round(((GPIO_VOLTS - part.vf) / part.ohms) * 10_000) / 10;
}

export function readReferenceConfig(path = join(ROOT, REFERENCE_CONFIG)): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The wiring of a config's panel on the Pi header. Throws when the config cannot be drawn as the
 * reference build: not the GPIO panel, a chip that is not a Pi header, a line that is not on the
 * header or is reserved (I2C, serial console, HAT EEPROM).
 */
export function wiringOf(config: Record<string, unknown>): Wiring {
  const devices = isObject(config.devices) ? config.devices : {};
  const panel = parsePanelConfig(devices.panel);
  if (panel.driver !== 'gpio') throw new Error('devices.panel: the reference build uses the gpio panel');
  const chip = panel.chip;
  if (!chip || !(PI_HEADER_CHIPS as readonly string[]).includes(chip)) {
    throw new Error(`devices.panel.chip: must be a Raspberry Pi header chip (${PI_HEADER_CHIPS.join(', ')})`);
  }
  const problems: string[] = [];
  const bcmOf = (path: string, ref: LineRefConfig): number => {
    const offset = typeof ref === 'number' ? ref : ref.chip === chip ? ref.offset : NaN;
    if (Number.isNaN(offset)) problems.push(`${path}: every line must be on ${chip}`);
    else if (RESERVED_BCM[offset]) problems.push(`${path}: GPIO ${offset} is reserved for ${RESERVED_BCM[offset]}`);
    return offset;
  };
  const buttons = BUTTONS.map((name) => ({ name, bcm: bcmOf(`devices.panel.buttons.${name}`, panel.buttons[name]) }));
  const leds = LEDS.map((name) => ({ name, bcm: bcmOf(`devices.panel.leds.${name}`, panel.leds[name]) }));
  if (problems.length > 0) throw new Error(problems.join('\n'));

  const display = isObject(devices.display) ? devices.display : null;
  if (display && display.driver !== 'sim' && display.bus !== undefined && display.bus !== 1) {
    throw new Error('devices.display.bus: the reference build has the display on I2C bus 1 (header pins 3 and 5)');
  }
  const displayAddress = display && Number.isInteger(display.address) ? (display.address as number) : 0x27;
  const i2c: I2cPart[] = [
    { id: 'rtc', part: REFERENCE_PARTS.rtc.part, address: 0x68, supplyVolts: 3.3, levelShifted: false, source: 'reference table' },
    {
      id: 'display',
      part: REFERENCE_PARTS.display.part,
      address: displayAddress,
      supplyVolts: 5,
      levelShifted: true,
      source: display ? 'config' : 'reference table',
    },
  ];
  if (new Set(i2c.map((d) => d.address)).size !== i2c.length) throw new Error('two I2C parts share an address');

  // The supply and ground pins named above must be what the header table says they are.
  for (const p of [...Object.values(GROUND_PINS)]) if (headerPin(p).kind !== 'ground') throw new Error(`pin ${p} is not a ground pin`);
  if (headerPin(SUPPLY_PINS.v3).kind !== 'power' || headerPin(SUPPLY_PINS.v5).kind !== 'power') throw new Error('supply pins are not power pins');

  const byBcm = (a: { bcm: number }, b: { bcm: number }) => a.bcm - b.bcm;
  const list = (xs: readonly { bcm: number }[]) => [...xs].sort(byBcm).map((x) => x.bcm).join(',');
  return {
    chip,
    debounceMs: panel.debounceMs,
    longPressMs: panel.longPressMs,
    buttons: buttons.map((b) => ({ ...b, pin: pinOfBcm(b.bcm).pin })),
    leds: leds.map((l) => ({ ...l, pin: pinOfBcm(l.bcm).pin, part: LED_PARTS[l.name], milliamps: ledMilliamps(LED_PARTS[l.name]) })),
    i2cBus: 1,
    i2c,
    bootConfig: [
      'dtparam=i2c_arm=on',
      'dtoverlay=i2c-rtc,ds3231',
      `gpio=${list(buttons)}=ip,pu`,
      `gpio=${list(leds)}=op,dl`,
    ],
  };
}

export function referenceWiring(): Wiring {
  return wiringOf(readReferenceConfig());
}
