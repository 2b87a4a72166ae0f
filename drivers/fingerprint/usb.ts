import { EventEmitter } from 'node:events';
import { usb, type Device, type InEndpoint, type Interface, type LibUSBException } from 'usb';
import type { Logger } from '../logger.ts';
import type { FingerprintConfig } from './config.ts';
import type { DeviceProfile, ProfileSession, UsbId, UsbLink } from './profile.ts';
import { formatUsbId } from './profile.ts';
import { profileByName, profileByUsbId } from './profiles/index.ts';
import type { FingerImage, FingerprintSensor, SensorErrorCode, SensorEvents, SensorHealth } from './types.ts';
import { SensorError } from './types.ts';
import { checkCaptureOptions, waitForSettled } from './wait.ts';

type UsbConfig = Extract<FingerprintConfig, { driver: 'usb' }>;

/** The part of the `usb` module the driver uses; tests pass their own hot-plug emitter. */
export interface UsbBus {
  getDeviceList(): Device[];
  on(event: 'attach' | 'detach', listener: (device: Device) => void): unknown;
  off(event: 'attach' | 'detach', listener: (device: Device) => void): unknown;
}

export interface UsbSensorDeps {
  readonly bus?: UsbBus;
  /** Replaces the registry lookup, e.g. a profile with a pinned scrambling seed in tests. */
  readonly profile?: DeviceProfile;
}

const DEFAULT_FRAME_TIMEOUT_MS = 5000;
const READ_CHUNK = 16384;

/** libusb transfer statuses (positive) and error codes (negative) that usb@2 puts in `errno`. */
const TRANSFER_TIMED_OUT = 2;
const TRANSFER_CANCELLED = 3;
const TRANSFER_NO_DEVICE = 5;
const ERROR_ACCESS = -3;
const ERROR_NO_DEVICE = -4;
const ERROR_NOT_FOUND = -5;
const ERROR_BUSY = -6;
const ERROR_TIMEOUT = -7;

interface OpenDevice {
  readonly device: Device;
  readonly iface: Interface;
  readonly session: ProfileSession;
}

/**
 * A USB fingerprint sensor driven by a device profile. One dialogue at a time: `capture` waits for
 * the profile's finger-on signal, then reads one frame. Unplugging mid-capture rejects with
 * DISCONNECTED; after the sensor comes back, the next capture powers it up again by itself.
 */
export class UsbFingerprintSensor extends EventEmitter<SensorEvents> implements FingerprintSensor {
  readonly #profile: DeviceProfile;
  readonly #ids: readonly UsbId[];
  readonly #frameTimeoutMs: number;
  readonly #log: Logger;
  readonly #bus: UsbBus;
  #wanted = false;
  #plugged = true;
  #dev: OpenDevice | undefined;
  #opening: Promise<OpenDevice> | undefined;
  #running: { abort: AbortController; done: Promise<unknown> } | undefined;
  #lastError: SensorErrorCode | undefined;

  constructor(cfg: UsbConfig, log: Logger, deps: UsbSensorDeps = {}) {
    super();
    const wantedId = cfg.vid !== undefined && cfg.pid !== undefined ? { vid: cfg.vid, pid: cfg.pid } : undefined;
    const profile = deps.profile ?? (cfg.profile ? profileByName(cfg.profile) : wantedId ? profileByUsbId(wantedId) : undefined);
    if (!profile) {
      throw new TypeError(`fingerprint: no device profile for ${cfg.profile ?? (wantedId ? formatUsbId(wantedId) : '?')}`);
    }
    this.#profile = profile;
    this.#ids = wantedId ? [wantedId] : profile.ids;
    this.#frameTimeoutMs = cfg.captureTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS;
    this.#log = log.child({ profile: profile.name });
    this.#bus = deps.bus ?? usb;
  }

  get isOpen(): boolean {
    return this.#wanted;
  }

  async open(): Promise<void> {
    if (this.#wanted) return;
    this.#wanted = true;
    this.#bus.on('attach', this.#onAttach);
    this.#bus.on('detach', this.#onDetach);
    try {
      await this.#ensureDevice();
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    if (!this.#wanted) return;
    this.#wanted = false;
    this.#bus.off('attach', this.#onAttach);
    this.#bus.off('detach', this.#onDetach);
    const running = this.#running;
    running?.abort.abort(new SensorError('CANCELED', 'capture canceled: sensor closed'));
    await running?.done.catch(() => {});
    await this.#opening?.catch(() => {});
    await this.#release(true);
  }

  health(): SensorHealth {
    const state = !this.#plugged ? 'absent' : this.#lastError && this.#lastError !== 'TIMEOUT' ? 'error' : 'ok';
    return { state, model: this.#profile.model, ...(this.#lastError ? { lastError: this.#lastError } : {}) };
  }

  async capture(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<FingerImage> {
    checkCaptureOptions(opts);
    if (!this.#wanted) throw new SensorError('CANCELED', 'capture on a closed sensor', { detail: { reason: 'not-open' } });
    if (this.#running) throw new SensorError('BUSY', 'a capture is already running', { retryable: true });
    if (opts.signal?.aborted) throw new SensorError('CANCELED', 'capture canceled', { cause: opts.signal.reason });
    if (!this.#plugged) throw this.#record(new SensorError('DISCONNECTED', 'fingerprint sensor is unplugged', { retryable: true }));

    const abort = new AbortController();
    const work = this.#captureOnce(abort.signal);
    const running = { abort, done: work };
    this.#running = running;
    try {
      const image = await waitForSettled(work, opts, () => abort.abort(new SensorError('CANCELED', 'capture abandoned')));
      this.#lastError = undefined;
      return image;
    } catch (err) {
      const e = toSensorError(err);
      if (e.code === 'DISCONNECTED') this.#markUnplugged();
      if (e.code !== 'CANCELED') this.#record(e);
      throw e;
    } finally {
      // The next capture may start only once the abandoned transfers are back from the kernel.
      await work.catch(() => {});
      if (this.#running === running) this.#running = undefined;
    }
  }

  async #captureOnce(signal: AbortSignal): Promise<FingerImage> {
    const { session } = await this.#ensureDevice();
    await session.waitForFinger(signal);
    signal.throwIfAborted();
    return session.captureFrame(this.#frameTimeoutMs);
  }

  #ensureDevice(): Promise<OpenDevice> {
    if (this.#dev) return Promise.resolve(this.#dev);
    this.#opening ??= this.#openDevice().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #openDevice(): Promise<OpenDevice> {
    const device = this.#bus.getDeviceList().find((d) => this.#matches(d));
    if (!device) {
      this.#plugged = false;
      throw this.#record(new SensorError('ABSENT', `no ${this.#profile.model} (${this.#ids.map(formatUsbId).join(', ')}) on USB`));
    }
    this.#plugged = true;
    let iface: Interface | undefined;
    try {
      device.open();
      iface = device.interface(this.#profile.interfaceNumber);
      if (!iface) throw new SensorError('PROTOCOL', `interface ${this.#profile.interfaceNumber} missing`);
      const want = this.#profile.interfaceClass;
      const d = iface.descriptor;
      if (want && (d.bInterfaceClass !== want[0] || d.bInterfaceSubClass !== want[1] || d.bInterfaceProtocol !== want[2])) {
        throw new SensorError('PROTOCOL', `interface ${iface.interfaceNumber} is class ${d.bInterfaceClass}/${d.bInterfaceSubClass}/${d.bInterfaceProtocol}, not a ${this.#profile.model}`);
      }
      if (iface.isKernelDriverActive()) iface.detachKernelDriver();
      iface.claim();
      const session = this.#profile.open(new LibusbLink(device, iface), this.#log);
      await session.init();
      this.#dev = { device, iface, session };
      this.#log.info({ bus: device.busNumber, address: device.deviceAddress }, 'fingerprint sensor ready');
      return this.#dev;
    } catch (err) {
      closeQuietly(device, iface);
      throw this.#record(toSensorError(err));
    }
  }

  async #release(deinit: boolean): Promise<void> {
    const dev = this.#dev;
    this.#dev = undefined;
    if (!dev) return;
    if (deinit && this.#plugged) {
      await dev.session.deinit().catch((err: unknown) => this.#log.warn({ err }, 'fingerprint sensor deinit failed'));
    }
    await releaseHandle(dev);
  }

  #matches(d: Device): boolean {
    return this.#ids.some((id) => id.vid === d.deviceDescriptor.idVendor && id.pid === d.deviceDescriptor.idProduct);
  }

  readonly #onAttach = (d: Device): void => {
    if (!this.#matches(d) || this.#plugged) return;
    this.#plugged = true;
    this.#lastError = undefined;
    this.#log.info({}, 'fingerprint sensor attached');
    this.emit('attached');
  };

  readonly #onDetach = (d: Device): void => {
    if (!this.#matches(d)) return;
    this.#running?.abort.abort(new SensorError('DISCONNECTED', 'fingerprint sensor was unplugged', { retryable: true }));
    this.#markUnplugged();
  };

  #markUnplugged(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#lastError = 'DISCONNECTED';
    // Drop the handle now so a quick replug opens afresh, but free it only once the aborted
    // capture's transfers are back: libusb must not close a handle with transfers in flight.
    const dev = this.#dev;
    this.#dev = undefined;
    if (dev) void (this.#running?.done ?? Promise.resolve()).catch(() => {}).then(() => releaseHandle(dev));
    this.#log.warn({}, 'fingerprint sensor detached');
    this.emit('detached');
  }

  #record(err: SensorError): SensorError {
    this.#lastError = err.code;
    return err;
  }
}

/** The profile's view of the wire, over usb@2's callback API. */
export class LibusbLink implements UsbLink {
  readonly #device: Device;
  readonly #iface: Interface;

  constructor(device: Device, iface: Interface) {
    this.#device = device;
    this.#iface = iface;
  }

  controlIn(request: number, value: number, index: number, length: number, timeoutMs: number): Promise<Uint8Array> {
    return this.#control(0xc0, request, value, index, length, timeoutMs).then((b) => b as Buffer);
  }

  async controlOut(request: number, value: number, index: number, data: Uint8Array, timeoutMs: number): Promise<void> {
    const sent = await this.#control(0x40, request, value, index, Buffer.from(data), timeoutMs);
    if (sent !== data.length) throw new SensorError('PROTOCOL', `control write sent ${String(sent)} of ${data.length} bytes`);
  }

  /**
   * Reads in chunks of at most 16 KiB, one transfer at a time, until `length` bytes or a short
   * chunk. Without the kernel's no-size-limit capability libusb would split a big read into
   * parallel 16 KiB URBs; sequential chunks keep one URB in flight (what umockdev's replay
   * supports) and end on the same packet boundaries, so the device sees the same stream.
   */
  async read(endpoint: number, length: number, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Uint8Array> {
    const ep = this.#iface.endpoint(endpoint) as InEndpoint | undefined;
    if (!ep || ep.direction !== 'in') throw new SensorError('PROTOCOL', `no IN endpoint ${endpoint.toString(16)}`);
    if (length <= READ_CHUNK) return this.#readOnce(ep, length, opts.timeoutMs, opts.signal);
    const out = new Uint8Array(length);
    const deadline = opts.timeoutMs > 0 ? performance.now() + opts.timeoutMs : 0;
    let got = 0;
    try {
      while (got < length) {
        const want = Math.min(READ_CHUNK, length - got);
        const left = deadline ? Math.max(1, deadline - performance.now()) : 0;
        const chunk = await this.#readOnce(ep, want, left, opts.signal);
        out.set(chunk, got);
        got += chunk.length;
        chunk.fill(0);
        if (chunk.length < want) break;
      }
    } catch (err) {
      out.fill(0);
      throw err;
    }
    return out.subarray(0, got);
  }

  #readOnce(ep: InEndpoint, length: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const what = `read from endpoint ${ep.address.toString(16)}`;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Uint8Array>((resolve, reject) => {
      let abandoned = false;
      const into = Buffer.alloc(length);
      const onAbort = () => {
        try {
          transfer.cancel();
        } catch {
          // libusb refuses to cancel on a device already gone (DISCARDURB fails: NO_DEVICE, or
          // OTHER). Thrown from an abort listener this would crash the process, and the URB may
          // never come back to be reaped: settle now with the abort reason (DISCONNECTED on unplug).
          abandoned = true;
          reject(abortReason(signal!));
        }
      };
      const transfer = ep.makeTransfer(timeoutMs, (error, buffer, actual) => {
        signal?.removeEventListener('abort', onAbort);
        // A late completion of an abandoned read: nobody takes the bytes, so none stay behind.
        if (abandoned) return void buffer.fill(0);
        if (!error) return resolve(buffer.subarray(0, actual));
        buffer.fill(0);
        if (error.errno === TRANSFER_CANCELLED && signal?.aborted) return reject(abortReason(signal));
        reject(fromLibusb(error, what));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        transfer.submit(into);
      } catch (err) {
        signal?.removeEventListener('abort', onAbort);
        reject(fromLibusb(err as LibUSBException, what));
      }
    });
  }

  write(endpoint: number, data: Uint8Array, timeoutMs: number): Promise<void> {
    const ep = this.#iface.endpoint(endpoint);
    if (!ep || ep.direction !== 'out') return Promise.reject(new SensorError('PROTOCOL', `no OUT endpoint ${endpoint.toString(16)}`));
    return new Promise<void>((resolve, reject) => {
      const transfer = ep.makeTransfer(timeoutMs, (error, _buffer, actual) => {
        if (error) return reject(fromLibusb(error, `write to endpoint ${endpoint.toString(16)}`));
        if (actual !== data.length) return reject(new SensorError('PROTOCOL', `wrote ${actual} of ${data.length} bytes`));
        resolve();
      });
      try {
        transfer.submit(Buffer.from(data));
      } catch (err) {
        reject(fromLibusb(err as LibUSBException, `submit to endpoint ${endpoint.toString(16)}`));
      }
    });
  }

  #control(
    type: number,
    request: number,
    value: number,
    index: number,
    dataOrLength: Buffer | number,
    timeoutMs: number,
  ): Promise<Buffer | number | undefined> {
    return new Promise((resolve, reject) => {
      this.#device.timeout = timeoutMs;
      try {
        this.#device.controlTransfer(type, request, value, index, dataOrLength, (error, result) => {
          if (error) reject(fromLibusb(error, `control ${request.toString(16)}/${value.toString(16)}`));
          else resolve(result);
        });
      } catch (err) {
        reject(fromLibusb(err as LibUSBException, `control ${request.toString(16)}/${value.toString(16)}`));
      }
    });
  }
}

function abortReason(signal: AbortSignal): SensorError {
  const reason: unknown = signal.reason;
  return reason instanceof SensorError ? reason : new SensorError('CANCELED', 'capture canceled', { cause: reason });
}

/** Maps libusb's numbers to our codes; the original stays as `cause` for the log. */
export function fromLibusb(error: LibUSBException | Error, what: string): SensorError {
  const errno = (error as LibUSBException).errno;
  const detail = { errno, what };
  switch (errno) {
    case TRANSFER_NO_DEVICE:
    case ERROR_NO_DEVICE:
      return new SensorError('DISCONNECTED', `fingerprint sensor gone during ${what}`, { retryable: true, detail, cause: error });
    case TRANSFER_TIMED_OUT:
    case ERROR_TIMEOUT:
      return new SensorError('TIMEOUT', `${what} timed out`, { retryable: true, detail, cause: error });
    case TRANSFER_CANCELLED:
      return new SensorError('CANCELED', `${what} canceled`, { detail, cause: error });
    case ERROR_BUSY:
      return new SensorError('BUSY', `fingerprint sensor claimed by another program (${what})`, { detail, cause: error });
    case ERROR_ACCESS:
    case ERROR_NOT_FOUND:
      return new SensorError('ABSENT', `fingerprint sensor not usable: ${error.message} (${what})`, { detail, cause: error });
    default:
      return new SensorError('PROTOCOL', `${what} failed: ${error.message}`, { detail, cause: error });
  }
}

function toSensorError(err: unknown): SensorError {
  if (err instanceof SensorError) return err;
  if (err instanceof Error && typeof (err as LibUSBException).errno === 'number') return fromLibusb(err, 'usb');
  return new SensorError('PROTOCOL', `fingerprint driver failure: ${String(err)}`, { cause: err });
}

function releaseHandle(dev: OpenDevice): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      dev.iface.release(true, () => resolve());
    } catch {
      // The device is gone and the interface with it; closing the handle is all that is left.
      resolve();
    }
  }).then(() => closeQuietly(dev.device, undefined));
}

function closeQuietly(device: Device, iface: Interface | undefined): void {
  try {
    iface?.release(() => {});
  } catch {
    // Already released or the device is gone; nothing left to undo.
  }
  try {
    device.close();
  } catch {
    // Same: a vanished device cannot be closed twice.
  }
}
