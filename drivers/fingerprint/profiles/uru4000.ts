/**
 * DigitalPersona U.are.U 4000B / 4500 (05ba:000a), the optical press sensor common at Indonesian
 * service counters. Protocol facts (registers, modes, interrupt codes, frame header, scrambling)
 * come from libfprint's `drivers/uru4000.c`; see drivers/fingerprint/README.md for the sources.
 * The code is our own: one sequential dialogue, no overlapping transfers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logger.ts';
import type { DeviceProfile, ProfileSession, UsbLink } from '../profile.ts';
import type { FingerImage } from '../types.ts';
import { SensorError } from '../types.ts';
import { decodeUru4000Frame, FRAME_BYTES, type KeySource } from './uru4000Frame.ts';

const USB_RQ = 0x04;
const EP_INTR = 0x81;
const EP_DATA = 0x82;
const CTRL_TIMEOUT_MS = 5000;
const IRQ_LENGTH = 64;

export const REG = { HWSTAT: 0x07, SCRAMBLE_INDEX: 0x33, SCRAMBLE_KEY: 0x34, MODE: 0x4e, DEVICE_INFO: 0xf0 } as const;
export const MODE = { AWAIT_FINGER_ON: 0x10, CAPTURE: 0x20, OFF: 0x70 } as const;
export const IRQ = { SCANPWR_ON: 0x56aa, FINGER_ON: 0x0101, FINGER_OFF: 0x0200, DEATH: 0x0800 } as const;

/** libfprint waits 300 ms for the power-on interrupt and retries the power-up three times. */
const SCANPWR_WAIT_MS = 300;
const POWERUP_ATTEMPTS = 3;
/** Polls of HWSTAT while the sensor leaves low-power mode, 10 ms apart (libfprint: 100). */
const HWSTAT_POLLS = 100;
const HWSTAT_POLL_MS = 10;

export interface Uru4000Options {
  /** Seed for the scrambling-key exchange; tests pin it, production uses crypto randomness. */
  readonly randomSeed?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createUru4000Profile(opts: Uru4000Options = {}): DeviceProfile {
  return {
    name: 'uru4000b',
    model: 'DigitalPersona U.are.U 4000B/4500',
    ids: [{ vid: 0x05ba, pid: 0x000a }],
    interfaceNumber: 0,
    // libfprint picks the vendor-specific interface (255/255/255) of these readers.
    interfaceClass: [0xff, 0xff, 0xff],
    open: (link, log) => new Uru4000Session(link, log, opts),
  };
}

export const uru4000b: DeviceProfile = createUru4000Profile();

class Uru4000Session implements ProfileSession {
  readonly #link: UsbLink;
  readonly #log: Logger;
  readonly #randomSeed: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(link: UsbLink, log: Logger, opts: Uru4000Options) {
    this.#link = link;
    this.#log = log;
    this.#randomSeed = opts.randomSeed ?? cryptoSeed;
    this.#sleep = opts.sleep ?? ((ms) => sleep(ms));
  }

  /**
   * Power-up as libfprint does it: recover a wedged sensor (HWSTAT bits 7 and 2 set), drop it into
   * low power, clear bit 7 again, then wait for the 0x56aa "scan power on" interrupt.
   */
  async init(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let hwstat = await this.#readReg(REG.HWSTAT);
      if ((hwstat & 0x84) === 0x84) hwstat = await this.#rebootPower(hwstat);
      if ((hwstat & 0x80) === 0) await this.#writeReg(REG.HWSTAT, hwstat | 0x80);
      await this.#powerUp(hwstat & 0x0f);
      try {
        await this.#awaitIrq(IRQ.SCANPWR_ON, SCANPWR_WAIT_MS);
        break;
      } catch (err) {
        if (!(err instanceof SensorError) || err.code !== 'TIMEOUT' || attempt >= POWERUP_ATTEMPTS) throw err;
        this.#log.warn({ attempt }, 'uru4000: no scan-power interrupt, powering up again');
      }
    }
    const info = await this.#link.controlIn(USB_RQ, REG.DEVICE_INFO, 0, 16, CTRL_TIMEOUT_MS);
    this.#log.info({ versions: [hex(info, 10, 12), hex(info, 4, 6)] }, 'uru4000: sensor powered up');
  }

  async waitForFinger(signal: AbortSignal): Promise<void> {
    await this.#writeReg(REG.MODE, MODE.AWAIT_FINGER_ON);
    for (;;) {
      const type = await this.#readIrq({ timeoutMs: 0, signal });
      if (type === IRQ.FINGER_ON) return;
      // 0x0800 announces a failing next scan; libfprint only warns, and so do we.
      this.#log[type === IRQ.DEATH ? 'warn' : 'debug']({ irq: type.toString(16) }, 'uru4000: interrupt ignored');
    }
  }

  async captureFrame(timeoutMs: number): Promise<FingerImage> {
    await this.#writeReg(REG.MODE, MODE.CAPTURE);
    const raw = await this.#link.read(EP_DATA, FRAME_BYTES, { timeoutMs });
    const keys: KeySource = async (keyNumber) => {
      const seed = this.#randomSeed() >>> 0;
      const index = new Uint8Array([keyNumber, seed & 0xff, (seed >>> 8) & 0xff, (seed >>> 16) & 0xff, seed >>> 24]);
      await this.#link.controlOut(USB_RQ, REG.SCRAMBLE_INDEX, 0, index, CTRL_TIMEOUT_MS);
      const key = await this.#link.controlIn(USB_RQ, REG.SCRAMBLE_KEY, 0, 4, CTRL_TIMEOUT_MS);
      if (key.length !== 4) throw new SensorError('PROTOCOL', `uru4000: key read returned ${key.length} bytes`);
      return (readU32LE(key) ^ seed) >>> 0;
    };
    try {
      return await decodeUru4000Frame(raw, keys);
    } finally {
      raw.fill(0);
    }
  }

  async deinit(): Promise<void> {
    try {
      await this.#writeReg(REG.MODE, MODE.OFF);
    } catch (err) {
      if (!(err instanceof SensorError) || err.code !== 'DISCONNECTED') throw err;
    }
  }

  async #rebootPower(hwstat: number): Promise<number> {
    await this.#writeReg(REG.HWSTAT, hwstat & 0x0f);
    for (let i = 0; i < HWSTAT_POLLS; i++) {
      const now = await this.#readReg(REG.HWSTAT);
      if (now & 0x01) return now;
      await this.#sleep(HWSTAT_POLL_MS);
    }
    throw new SensorError('PROTOCOL', 'uru4000: sensor did not reboot its power state', { detail: { hwstat } });
  }

  async #powerUp(value: number): Promise<void> {
    for (let i = 0; i < HWSTAT_POLLS; i++) {
      await this.#writeReg(REG.HWSTAT, value);
      if (((await this.#readReg(REG.HWSTAT)) & 0x80) === 0) return;
      await this.#sleep(HWSTAT_POLL_MS);
    }
    throw new SensorError('PROTOCOL', 'uru4000: sensor stayed in low-power mode');
  }

  async #awaitIrq(wanted: number, withinMs: number): Promise<void> {
    const deadline = performance.now() + withinMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) throw new SensorError('TIMEOUT', `uru4000: no interrupt ${wanted.toString(16)}`, { retryable: true });
      if ((await this.#readIrq({ timeoutMs: left })) === wanted) return;
    }
  }

  async #readIrq(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<number> {
    const data = await this.#link.read(EP_INTR, IRQ_LENGTH, opts);
    if (data.length < 2) throw new SensorError('PROTOCOL', `uru4000: interrupt of ${data.length} bytes`);
    // The interrupt type is big-endian, unlike the little-endian frame header.
    return (data[0]! << 8) | data[1]!;
  }

  async #readReg(reg: number): Promise<number> {
    const data = await this.#link.controlIn(USB_RQ, reg, 0, 1, CTRL_TIMEOUT_MS);
    if (data.length !== 1) throw new SensorError('PROTOCOL', `uru4000: register ${reg.toString(16)} read returned ${data.length} bytes`);
    return data[0]!;
  }

  #writeReg(reg: number, value: number): Promise<void> {
    return this.#link.controlOut(USB_RQ, reg, 0, new Uint8Array([value]), CTRL_TIMEOUT_MS);
  }
}

function readU32LE(b: Uint8Array): number {
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

function hex(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.subarray(from, to)).toString('hex');
}

function cryptoSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
