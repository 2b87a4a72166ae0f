/**
 * The Raspberry Pi 40-pin header (J8), the same on the Pi 3, 4 and 5: physical pin → what is on it.
 * GPIO pins carry their BCM line number, which is the line offset on the board's main gpiochip
 * (pinctrl-bcm2835, pinctrl-bcm2711, pinctrl-rp1).
 */
export type HeaderPin =
  | { readonly pin: number; readonly kind: 'power'; readonly volts: 3.3 | 5 }
  | { readonly pin: number; readonly kind: 'ground' }
  | { readonly pin: number; readonly kind: 'gpio'; readonly bcm: number; readonly alt?: string };

const P3 = (pin: number): HeaderPin => ({ pin, kind: 'power', volts: 3.3 });
const P5 = (pin: number): HeaderPin => ({ pin, kind: 'power', volts: 5 });
const G = (pin: number): HeaderPin => ({ pin, kind: 'ground' });
const IO = (pin: number, bcm: number, alt?: string): HeaderPin => (alt ? { pin, kind: 'gpio', bcm, alt } : { pin, kind: 'gpio', bcm });

export const HEADER: readonly HeaderPin[] = [
  P3(1), P5(2), IO(3, 2, 'SDA1'), P5(4), IO(5, 3, 'SCL1'), G(6), IO(7, 4), IO(8, 14, 'TXD'), G(9), IO(10, 15, 'RXD'),
  IO(11, 17), IO(12, 18), IO(13, 27), G(14), IO(15, 22), IO(16, 23), P3(17), IO(18, 24), IO(19, 10, 'MOSI'), G(20),
  IO(21, 9, 'MISO'), IO(22, 25), IO(23, 11, 'SCLK'), IO(24, 8, 'CE0'), G(25), IO(26, 7, 'CE1'), IO(27, 0, 'ID_SD'), IO(28, 1, 'ID_SC'), IO(29, 5), G(30),
  IO(31, 6), IO(32, 12), IO(33, 13), G(34), IO(35, 19), IO(36, 16), IO(37, 26), IO(38, 20), G(39), IO(40, 21),
];

/** gpiochip labels whose line offsets are the BCM numbers on this header. */
export const PI_HEADER_CHIPS = ['pinctrl-bcm2835', 'pinctrl-bcm2711', 'pinctrl-rp1'] as const;

/**
 * Lines a panel must not take: the HAT ID EEPROM (0, 1), I2C1 with the RTC and display (2, 3) and
 * the serial console (14, 15), which a technician may need when the network is down.
 */
export const RESERVED_BCM: Readonly<Record<number, string>> = {
  0: 'HAT ID EEPROM',
  1: 'HAT ID EEPROM',
  2: 'I2C1 SDA (RTC, display)',
  3: 'I2C1 SCL (RTC, display)',
  14: 'serial console TXD',
  15: 'serial console RXD',
};

export function pinOfBcm(bcm: number): HeaderPin & { kind: 'gpio' } {
  const p = HEADER.find((h): h is HeaderPin & { kind: 'gpio' } => h.kind === 'gpio' && h.bcm === bcm);
  if (!p) throw new Error(`GPIO ${bcm} is not on the 40-pin header`);
  return p;
}

export function headerPin(pin: number): HeaderPin {
  const p = HEADER.find((h) => h.pin === pin);
  if (!p) throw new Error(`no header pin ${pin}`);
  return p;
}
