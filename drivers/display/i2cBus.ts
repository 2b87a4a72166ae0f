/**
 * The little of an I2C bus the display needs. `i2cBusAdapter.ts` gives it from the `i2c-bus`
 * package (Linux i2c-dev); tests inject a fake that records every transaction.
 */
export interface I2cBus {
  /** One plain I2C write transaction of `length` bytes to the 7-bit `address`. */
  i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

export type OpenI2cBus = (busNumber: number) => Promise<I2cBus>;
