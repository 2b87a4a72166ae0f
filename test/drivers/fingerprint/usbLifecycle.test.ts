/**
 * UsbFingerprintSensor's own logic (timeouts, cancellation, BUSY, hot-plug, reopen) with a fake
 * bus and a fake profile, so waits can stay pending, which umockdev's replay cannot do. The wire
 * path itself is covered by usb.test.ts under umockdev.
 */
import { EventEmitter } from 'node:events';
import t from 'tap';
import type { Device } from 'usb';
import { silentLogger } from '../../../drivers/logger.ts';
import type { DeviceProfile, ProfileSession } from '../../../drivers/fingerprint/profile.ts';
import type { FingerImage } from '../../../drivers/fingerprint/types.ts';
import { SensorError } from '../../../drivers/fingerprint/types.ts';
import { LibusbLink, UsbFingerprintSensor, type UsbBus } from '../../../drivers/fingerprint/usb.ts';
import type { Interface } from 'usb';

const IMAGE: FingerImage = { width: 2, height: 1, dpi: 500, pixels: Uint8Array.of(1, 2) };

class Rig {
  readonly hotplug = new EventEmitter<{ attach: [Device]; detach: [Device] }>();
  readonly device = fakeDevice(0x05ba, 0x000a);
  present = true;
  inits = 0;
  deinits = 0;
  fingerWaits: { resolve: () => void; signal: AbortSignal }[] = [];

  readonly bus: UsbBus = {
    getDeviceList: () => (this.present ? [fakeDevice(0x1d6b, 2), this.device] : []),
    on: (e, fn) => this.hotplug.on(e, fn),
    off: (e, fn) => this.hotplug.off(e, fn),
  };

  readonly profile: DeviceProfile = {
    name: 'fake',
    model: 'fake sensor',
    ids: [{ vid: 0x05ba, pid: 0x000a }],
    interfaceNumber: 0,
    open: (): ProfileSession => ({
      init: async () => {
        this.inits++;
      },
      waitForFinger: (signal) =>
        new Promise<void>((resolve, reject) => {
          this.fingerWaits.push({ resolve, signal });
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
      captureFrame: async () => IMAGE,
      deinit: async () => {
        this.deinits++;
      },
    }),
  };

  sensor(): UsbFingerprintSensor {
    return new UsbFingerprintSensor({ driver: 'usb', profile: 'uru4000b' }, silentLogger, { bus: this.bus, profile: this.profile });
  }

  /** Lets the sensor reach its finger wait, then puts a finger down. */
  async finger(): Promise<void> {
    await until(() => this.fingerWaits.length > 0);
    this.fingerWaits.shift()!.resolve();
  }
}

function fakeDevice(vid: number, pid: number): Device {
  const iface = {
    interfaceNumber: 0,
    descriptor: { bInterfaceClass: 255, bInterfaceSubClass: 255, bInterfaceProtocol: 255 },
    isKernelDriverActive: () => false,
    claim: () => {},
    release: (_close: boolean, cb: () => void) => cb(),
  };
  return {
    deviceDescriptor: { idVendor: vid, idProduct: pid },
    busNumber: 1,
    deviceAddress: 2,
    open: () => {},
    close: () => {},
    interface: () => iface,
  } as unknown as Device;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error('condition never became true');
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof SensorError ? err.code : `not a SensorError: ${String(err)}`;
  }
}

t.test('UsbFingerprintSensor lifecycle', async (t) => {
  t.test('opens, captures once a finger is down, and powers down on close', async (t) => {
    const rig = new Rig();
    const s = rig.sensor();
    await s.open();
    const capture = s.capture({ timeoutMs: 1000 });
    await rig.finger();
    t.equal(await capture, IMAGE);
    await s.close();
    await s.close();
    t.same([rig.inits, rig.deinits], [1, 1]);
    t.equal(rig.hotplug.listenerCount('detach'), 0, 'stops listening for hot-plug');
  });

  t.test('rejects with retryable TIMEOUT and aborts the finger wait', async (t) => {
    const rig = new Rig();
    const s = rig.sensor();
    await s.open();
    const err = await s.capture({ timeoutMs: 20 }).catch((e: unknown) => e);
    t.match(err, { code: 'TIMEOUT', retryable: true });
    t.equal(rig.fingerWaits[0]?.signal.aborted, true);
    t.equal(s.health().state, 'ok', 'nobody touching the sensor is not a fault');
    await s.close();
  });

  t.test('rejects with CANCELED when the caller aborts, and captures again afterwards', async (t) => {
    const rig = new Rig();
    const s = rig.sensor();
    await s.open();
    const ac = new AbortController();
    const outcome = codeOf(s.capture({ timeoutMs: 1000, signal: ac.signal }));
    await until(() => rig.fingerWaits.length > 0);
    ac.abort();
    t.equal(await outcome, 'CANCELED');
    rig.fingerWaits.length = 0;
    const again = s.capture({ timeoutMs: 1000 });
    await rig.finger();
    t.equal(await again, IMAGE);
    await s.close();
  });

  t.test('rejects a concurrent capture with BUSY', async (t) => {
    const rig = new Rig();
    const s = rig.sensor();
    await s.open();
    const first = s.capture({ timeoutMs: 1000 });
    t.equal(await codeOf(s.capture({ timeoutMs: 1000 })), 'BUSY');
    await rig.finger();
    t.equal(await first, IMAGE);
    await s.close();
  });

  t.test('cancels a pending capture on close', async (t) => {
    const rig = new Rig();
    const s = rig.sensor();
    await s.open();
    const outcome = codeOf(s.capture({ timeoutMs: 1000 }));
    await until(() => rig.fingerWaits.length > 0);
    await s.close();
    t.equal(await outcome, 'CANCELED');
    t.equal(await codeOf(s.capture({ timeoutMs: 1000 })), 'CANCELED');
  });

  t.test('rejects a pending capture with DISCONNECTED on detach and reopens after attach', async (t) => {
    const rig = new Rig();
    const s = rig.sensor();
    const events: string[] = [];
    s.on('detached', () => events.push('detached'));
    s.on('attached', () => events.push('attached'));
    await s.open();
    const outcome = codeOf(s.capture({ timeoutMs: 1000 }));
    await until(() => rig.fingerWaits.length > 0);
    rig.hotplug.emit('detach', fakeDevice(0x046d, 0xc077));
    t.same(events, [], 'ignores other devices');
    rig.present = false;
    rig.hotplug.emit('detach', rig.device);
    t.equal(await outcome, 'DISCONNECTED');
    t.match(s.health(), { state: 'absent', lastError: 'DISCONNECTED' });
    t.equal(await codeOf(s.capture({ timeoutMs: 1000 })), 'DISCONNECTED');

    rig.present = true;
    rig.fingerWaits.length = 0;
    rig.hotplug.emit('attach', rig.device);
    t.same(events, ['detached', 'attached']);
    const again = s.capture({ timeoutMs: 1000 });
    await rig.finger();
    t.equal(await again, IMAGE);
    t.equal(rig.inits, 2, 'powered up again after the replug');
    t.equal(rig.deinits, 0, 'no deinit sent to a vanished device');
    await s.close();
  });

  t.test('fails open with ABSENT and keeps no hot-plug listener', async (t) => {
    const rig = new Rig();
    rig.present = false;
    const s = rig.sensor();
    t.equal(await codeOf(s.open()), 'ABSENT');
    t.equal(s.isOpen, false);
    t.equal(rig.hotplug.listenerCount('attach'), 0);
  });

  t.test('refuses a device whose interface is not the vendor-specific one', async (t) => {
    const rig = new Rig();
    (rig.device.interface(0)!.descriptor as { bInterfaceClass: number }).bInterfaceClass = 3;
    const s = new UsbFingerprintSensor({ driver: 'usb', profile: 'uru4000b' }, silentLogger, {
      bus: rig.bus,
      profile: { ...rig.profile, interfaceClass: [255, 255, 255] },
    });
    t.equal(await codeOf(s.open()), 'PROTOCOL');
  });
});

t.test('LibusbLink: a read aborted on a device already gone settles with the abort reason, without crashing', async (t) => {
  // libusb_cancel_transfer fails once the device is gone (DISCARDURB: ENODEV, or an errno umockdev
  // does not know) and usb@2 throws it; from an AbortSignal listener that was an uncaught exception.
  let completion: ((error: unknown, buffer: Buffer, actual: number) => void) | undefined;
  let submitted: Buffer | undefined;
  const endpoint = {
    direction: 'in',
    address: 0x81,
    makeTransfer: (_timeout: number, cb: typeof completion) => {
      completion = cb;
      return {
        submit: (buf: Buffer) => void (submitted = buf),
        cancel: () => {
          throw Object.assign(new Error('LIBUSB_ERROR_NO_DEVICE'), { errno: -4 });
        },
      };
    },
  };
  const iface = { endpoint: () => endpoint } as unknown as Interface;
  const link = new LibusbLink({} as Device, iface);
  const ac = new AbortController();
  const read = link.read(0x81, 64, { timeoutMs: 0, signal: ac.signal });
  ac.abort(new SensorError('DISCONNECTED', 'fingerprint sensor was unplugged', { retryable: true }));
  t.equal(await codeOf(read), 'DISCONNECTED');
  // Should the URB still come back later, its bytes are not left behind.
  submitted!.fill(7);
  completion!(undefined, submitted!, 64);
  t.ok(submitted!.every((b) => b === 0), 'a late completion is wiped');
});
