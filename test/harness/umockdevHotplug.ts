/**
 * Hot-unplug and replug of a device in the umockdev testbed this process runs in (under
 * `umockdev-run`). umockdev-run has no command for it, and UMockdevTestbed.remove_device/uevent
 * live in the umockdev-run parent, out of reach; but a uevent is only a datagram to the sockets
 * umockdev's preload made for every netlink uevent listener ($UMOCKDEV_DIR/eventN), in libudev's
 * wire format. This sends the same message umockdev's own uevent sender does (umockdev
 * src/uevent_sender.c, itself mirroring systemd's device_monitor_send_device()), so libusb's
 * real udev monitor sees the device go and come back, and usb@2 emits detach/attach from it.
 *
 * remove: the `remove` uevent, then the sysfs directory moved aside (what remove_device does
 * with it), so nothing enumerating sysfs sees it either. The device node stays: umockdev's ioctl
 * replay is bound to it, and a kernel re-uses the same bus/address path for the replug here.
 * add: the sysfs directory back, then the `add` uevent.
 */
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface DgramSocket {
  on(event: 'error', listener: (err: Error) => void): void;
  send(buf: Buffer, offset: number, length: number, path: string): void;
  close(): void;
}

const UDEV_MONITOR_MAGIC = 0xfeedcafe;
const HEADER_SIZE = 40;

/** MurmurHash2 as libudev's monitor filter uses it (systemd src/basic/MurmurHash2.c). */
function murmurHash2(text: string): number {
  const m = 0x5bd1e995;
  const data = Buffer.from(text);
  let len = data.length;
  let h = len >>> 0;
  let i = 0;
  while (len >= 4) {
    let k = data.readUInt32LE(i);
    k = Math.imul(k, m) >>> 0;
    k = (k ^ (k >>> 24)) >>> 0;
    k = Math.imul(k, m) >>> 0;
    h = Math.imul(h, m) >>> 0;
    h = (h ^ k) >>> 0;
    i += 4;
    len -= 4;
  }
  if (len >= 3) h = (h ^ (data[i + 2]! << 16)) >>> 0;
  if (len >= 2) h = (h ^ (data[i + 1]! << 8)) >>> 0;
  if (len >= 1) h = Math.imul((h ^ data[i]!) >>> 0, m) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, m) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

export interface MockUsbDevice {
  /** Sysfs path as in the .umockdev recording (`P:`), e.g. /devices/pci0000:00/0000:00:14.0/usb1/1-1. */
  readonly syspath: string;
  /** Device node (`E: DEVNAME`), e.g. /dev/bus/usb/001/002. */
  readonly devname: string;
}

export class UmockdevHotplug {
  readonly #root: string;
  #seqnum = 1;
  readonly #dgram: { createSocket(type: 'unix_dgram'): DgramSocket };

  constructor(private readonly device: MockUsbDevice) {
    const root = process.env.UMOCKDEV_DIR;
    if (!root) throw new Error('not inside umockdev-run (UMOCKDEV_DIR unset)');
    this.#root = root;
    // The agent's own sd_notify already depends on it: Node has no AF_UNIX datagram sockets.
    this.#dgram = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: 'unix_dgram'): DgramSocket };
  }

  /** How many netlink uevent listeners the process has (libusb opens one once hot-plug is on). */
  listeners(): string[] {
    return readdirSync(this.#root).filter((f) => /^event\d+$/.test(f));
  }

  remove(): void {
    this.#uevent('remove');
    renameSync(this.#sysDir(), this.#asideDir());
  }

  add(): void {
    renameSync(this.#asideDir(), this.#sysDir());
    this.#uevent('add');
  }

  #sysDir(): string {
    return join(this.#root, 'sys', this.device.syspath);
  }

  #asideDir(): string {
    return join(this.#root, `removed-${this.device.syspath.replaceAll('/', '_')}`);
  }

  #uevent(action: 'add' | 'remove'): void {
    const [, , , bus, dev] = this.device.devname.split('/');
    if (!existsSync(this.#sysDir()) && action === 'remove') throw new Error(`${this.device.syspath} is not in the testbed`);
    const props = [
      `ACTION=${action}`,
      `DEVPATH=${this.device.syspath}`,
      'SUBSYSTEM=usb',
      `SEQNUM=${this.#seqnum++}`,
      `DEVNAME=${this.device.devname}`,
      'DEVTYPE=usb_device',
      `BUSNUM=${bus}`,
      `DEVNUM=${dev}`,
    ]
      .map((p) => `${p}\0`)
      .join('');
    const body = Buffer.from(props);
    const header = Buffer.alloc(HEADER_SIZE);
    header.write('libudev\0', 0, 'latin1');
    header.writeUInt32BE(UDEV_MONITOR_MAGIC, 8);
    header.writeUInt32LE(HEADER_SIZE, 12);
    header.writeUInt32LE(HEADER_SIZE, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32BE(murmurHash2('usb'), 24);
    header.writeUInt32BE(murmurHash2('usb_device'), 28);
    const msg = Buffer.concat([header, body]);
    const sockets = this.listeners();
    if (sockets.length === 0) throw new Error('nobody listens for uevents in this testbed (hot-plug not started?)');
    for (const name of sockets) {
      const s = this.#dgram.createSocket('unix_dgram');
      // A listener that closed meanwhile refuses; umockdev's sender ignores that case too.
      s.on('error', (err) => process.stderr.write(`uevent to ${name}: ${err.message}\n`));
      s.send(msg, 0, msg.length, join(this.#root, name));
      s.close();
    }
  }
}
