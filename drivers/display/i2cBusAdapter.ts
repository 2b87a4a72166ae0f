import type { I2cBus } from './i2cBus.ts';

/**
 * The only file that imports `i2c-bus` (fivdi/i2c-bus: maintained, prebuilt for the Pi's arm
 * targets, plain i2c-dev ioctls with a promise API). Loaded lazily by the factory, so a laptop on
 * the simulated display never loads the native addon.
 */
export async function openI2cBus(busNumber: number): Promise<I2cBus> {
  const i2c = await import('i2c-bus');
  return i2c.openPromisified(busNumber);
}
