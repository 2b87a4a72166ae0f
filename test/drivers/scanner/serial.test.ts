import { openSync, writeSync, closeSync } from 'node:fs';
import t from 'tap';
import { silentLogger } from '../../../drivers/logger.ts';
import { createScanner, parseScannerConfig } from '../../../drivers/scanner/factory.ts';
import { SerialScanner } from '../../../drivers/scanner/serial.ts';
import { SimScanner } from '../../../drivers/scanner/sim.ts';
import type { ScannerError } from '../../../drivers/scanner/types.ts';
import { openPtyPair } from '../../helpers/ptyPair.ts';

/** What a USB scanner in CDC mode sends for one symbol: the text and its configured suffix. */
function send(peer: string, bytes: string | Buffer): void {
  const fd = openSync(peer, 'w');
  writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  closeSync(fd);
}

t.test('the serial driver reads symbols line by line through a real pty', async (t) => {
  const pty = await openPtyPair();
  t.teardown(() => pty.stop());
  const scanner = new SerialScanner({ path: pty.device, baudRate: 9600, logger: silentLogger, reopenMs: 200 });
  await scanner.open();
  t.teardown(() => scanner.close());
  t.same(scanner.health(), { state: 'ok', lastError: null });
  const scans: string[] = [];
  const faults: ScannerError[] = [];
  scanner.on('scan', (s) => scans.push(s));
  scanner.on('fault', (e) => faults.push(e));

  // CR suffix, CRLF suffix, and one symbol split over two writes (USB packets).
  send(pty.peer, 'SP/327301/2026/00001\r');
  send(pty.peer, '3273014107900001\r\n');
  send(pty.peer, 'SP/327301/20');
  await new Promise((r) => setTimeout(r, 50));
  send(pty.peer, '26/00002\n');
  // Binary noise (a wrong symbology) is refused, not passed on as a letter number.
  send(pty.peer, Buffer.from([0x01, 0x02, 0xff, 0x0d]));
  const deadline = Date.now() + 3000;
  while ((scans.length < 3 || faults.length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.same(scans, ['SP/327301/2026/00001', '3273014107900001', 'SP/327301/2026/00002']);
  t.same(faults.map((f) => f.code), ['SCAN_UNREADABLE']);
});

t.test('a missing device is SCANNER_ABSENT at open; a vanished one is a fault, not a crash', async (t) => {
  const absent = new SerialScanner({ path: '/dev/pts/no-such-scanner', baudRate: 9600, logger: silentLogger });
  await t.rejects(absent.open(), { code: 'SCANNER_ABSENT' });

  const pty = await openPtyPair();
  const scanner = new SerialScanner({ path: pty.device, baudRate: 9600, logger: silentLogger, reopenMs: 200 });
  await scanner.open();
  t.teardown(() => scanner.close());
  // One scan first: the read loop is running when the device goes away, as on a desk in use.
  const first = new Promise<string>((resolve) => scanner.once('scan', resolve));
  send(pty.peer, 'SP/327301/2026/00009\r');
  t.equal(await first, 'SP/327301/2026/00009');
  const fault = new Promise<ScannerError>((resolve) => scanner.once('fault', resolve));
  await pty.stop();
  const err = await Promise.race([fault, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no fault within 5 s')), 5000))]);
  t.match(err.code, /SCANNER_ABSENT|SCANNER_IO/);
  t.not(scanner.health().state, 'ok');
});

t.test('factory: explicit drivers, every config problem listed', async (t) => {
  t.ok((await createScanner({ driver: 'sim' }, silentLogger)) instanceof SimScanner);
  t.throws(() => parseScannerConfig({ driver: 'usb' }), { code: 'SCANNER_CONFIG' });
  try {
    parseScannerConfig({ driver: 'serial', path: 'ttyACM0', baudRate: 1234 });
    t.fail('should throw');
  } catch (err) {
    t.same((err as ScannerError).detail.errors, ['scanner.baudRate: one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200', 'scanner.path: must be a device path such as /dev/serial/by-id/usb-…-if00']);
  }
  t.same(parseScannerConfig({ driver: 'serial', path: '/dev/ttyACM0', baudRate: 9600 }), { driver: 'serial', path: '/dev/ttyACM0', baudRate: 9600 });
});

t.test('the simulator cleans scans the same way', async (t) => {
  const s = new SimScanner();
  await s.open();
  const got: string[] = [];
  const faults: string[] = [];
  s.on('scan', (x) => got.push(x));
  s.on('fault', (e) => faults.push(e.code));
  s.scan('  SP/1/2026/00003 ');
  s.scan('x'.repeat(500));
  t.same(got, ['SP/1/2026/00003']);
  t.same(faults, ['SCAN_UNREADABLE']);
});
