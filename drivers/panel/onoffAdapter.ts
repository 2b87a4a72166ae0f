import { Gpio } from 'onoff';
import type { GpioLine, LineMode, OpenLine } from './gpioLine.ts';
import { PanelError } from './types.ts';

/**
 * The one file that touches onoff. Buttons are inputs watching both edges with activeLow, so a
 * press (line pulled to ground against the pull-up) reads 1. sysfs cannot set pull resistors:
 * they come from the boot config (`gpio=<n>=ip,pu` in config.txt), see docs/operator-guide.md.
 * onoff's own debounceTimeout is not used: the panel debounces with a re-read (domain brief,
 * pain point 15).
 */
export const openOnoffLine: OpenLine = (globalNumber: number, mode: LineMode): GpioLine => {
  let gpio: Gpio;
  try {
    gpio = mode === 'button' ? new Gpio(globalNumber, 'in', 'both', { activeLow: true }) : new Gpio(globalNumber, 'out');
  } catch (err) {
    throw new PanelError('GPIO_IO', `cannot export GPIO ${globalNumber}: ${(err as Error).message}`, { cause: err, retryable: true });
  }
  return {
    read: () => gpio.readSync(),
    write: (value) => gpio.writeSync(value),
    watch: (onEdge, onError) =>
      gpio.watch((err) => {
        if (err) onError(new PanelError('GPIO_IO', `GPIO ${globalNumber}: ${err.message}`, { cause: err }));
        else onEdge();
      }),
    close: () => {
      if (mode === 'led') gpio.writeSync(0);
      gpio.unexport();
    },
  };
};
