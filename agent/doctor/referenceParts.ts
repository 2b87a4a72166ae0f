import type { DoctorCode } from './messages.ts';

/**
 * The parts of the reference build (docs/reference-build.md). The doctor names the one it expected
 * when a device is missing, so a technician on the phone can compare it with what is in the box;
 * scripts/wiring.ts takes the same names for the parts list and the wiring picture.
 */
export const REFERENCE_PARTS = {
  board: { part: 'Raspberry Pi 4 Model B 4 GB', connection: 'GPIO chip pinctrl-bcm2711' },
  cardReader: { part: 'ACS ACR1252U-M1', connection: 'USB 072f:223b, PC/SC "ACS ACR1252 Dual Reader [ACR1252 Dual Reader PICC]"' },
  sam: { part: 'Dukcapil SAM (ID-000)', connection: 'SAM slot of the ACR1252U-M1, PC/SC "ACS ACR1252 Dual Reader [ACR1252 Dual Reader SAM]"' },
  sensor: { part: 'DigitalPersona U.are.U 4500', connection: 'USB 05ba:000a' },
  printer: { part: 'Epson TM-T82X 80 mm', connection: 'USB printer class, /dev/ektp-printer' },
  panel: { part: 'button and LED panel', connection: 'header J8 as in docs/wiring.svg; pull-ups in /boot/firmware/config.txt' },
  rtc: { part: 'DS3231 RTC module', connection: 'I2C bus 1, address 0x68, dtoverlay=i2c-rtc,ds3231' },
  display: { part: '20x4 HD44780 LCD with PCF8574 backpack', connection: 'I2C bus 1, address 0x27, through a 3.3 V/5 V level shifter' },
} as const satisfies Record<string, { readonly part: string; readonly connection: string }>;

export type ReferencePartId = keyof typeof REFERENCE_PARTS;

/** Which reference part a "missing or not answering" verdict is about. */
const EXPECTED_FOR: Partial<Record<DoctorCode, ReferencePartId>> = {
  READER_ABSENT: 'cardReader',
  SAM_ABSENT: 'sam',
  SENSOR_ABSENT: 'sensor',
  PRINTER_ABSENT: 'printer',
  PRINTER_NO_RESPONSE: 'printer',
  PANEL_UNAVAILABLE: 'panel',
  PANEL_LINE_MISSING: 'panel',
  CLOCK_WRONG: 'rtc',
  DISPLAY_ABSENT: 'display',
};

/** "ACS ACR1252U-M1 (USB 072f:223b, ...)" for a missing-device verdict, else undefined. */
export function expectedPart(code: DoctorCode): string | undefined {
  const id = EXPECTED_FOR[code];
  if (!id) return undefined;
  const p = REFERENCE_PARTS[id];
  return `${p.part} (${p.connection})`;
}
