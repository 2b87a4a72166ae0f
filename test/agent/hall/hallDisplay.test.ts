/**
 * The hall display in a real browser: Debian's chromium (headless, puppeteer-core) opens the page
 * served by HallServer, the page connects to a real mosquitto over its WebSockets listener, and two
 * real StatusPublishers (loket-2, loket-10) publish `now_serving` as the counters do. Checks the
 * numbers on screen, the clips played in order, a repeated call, and a broker drop and return.
 * A screenshot is kept: HALL_SCREENSHOT (path) or .tap/hall-display.png; the path is printed.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { renderClips } from '../../../agent/hall/clips.ts';
import { HallServer } from '../../../agent/hall/server.ts';
import { callClips } from '../../../agent/hall/spokenCall.ts';
import { StatusPublisher } from '../../../agent/status/publisher.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { launchChromium } from '../../helpers/chromium.ts';
import { startMosquitto } from '../../helpers/mosquitto.ts';

const SITE = '3273-coblong';

function counterPublisher(url: string, device: string, site = SITE): StatusPublisher {
  return new StatusPublisher({
    config: { url, reconnectMinMs: 200, reconnectMaxMs: 1000 },
    site,
    device,
    db: new Database(':memory:'),
    logger: silentLogger,
    info: () => ({
      swVersion: '0.1.0', gitHash: null, hwModel: null, readerModel: null, samPresent: true, fpSensorModel: null,
      matcher: { name: 'm', version: '1', threshold: 40, fmr: 1e-4 }, printer: { model: null, paperMm: 58, columns: 32 },
      configHash: null, driverMode: 'sim',
    }),
    health: () => ({
      reader: { status: 'ok', code: null }, sam: 'ok', sensor: { status: 'ok', code: null },
      printer: { online: true, paper: 'ok', coverOpen: false, code: null }, clockSynced: null, diskFreePct: null,
      cpuTempC: null, counterState: 'idle',
    }),
    metrics: () => ({
      queueWaiting: 0, served: 0, berhasil: 0, gagal: 0, disputed: 0, cancelled: 0, avgServiceSeconds: null, fpAttemptsHistogram: {},
    }),
  });
}

/** What the board shows: loket label → number, in screen order. */
async function tiles(page: Page): Promise<[string, string][]> {
  return page.$$eval('.tile', (els) => els.map((e) => [e.querySelector('.label')!.textContent!, e.querySelector('.number')!.textContent!] as [string, string]));
}

const played = (page: Page) => page.evaluate(() => [...window.hall.played]);

async function waitQuiet(page: Page, minPlayed: number, timeout = 40_000): Promise<void> {
  await page.waitForFunction((n: number) => window.hall.played.length >= n && window.hall.pending() === 0, { timeout, polling: 100 }, minPlayed);
}

t.test('hall display in chromium through a real mosquitto WebSockets listener', async (t) => {
  const broker = await startMosquitto({ websockets: true });
  t.teardown(() => broker.stop());
  const clipsDir = mkdtempSync(join(tmpdir(), 'ektp-hall-clips-'));
  t.teardown(() => rmSync(clipsDir, { recursive: true, force: true }));
  await renderClips(clipsDir);

  const hall = new HallServer({
    page: {
      office: 'KANTOR KECAMATAN COBLONG',
      region: 'KOTA BANDUNG',
      siteId: SITE,
      timezone: 'Asia/Jakarta',
      brokerWsUrl: `ws://{host}:${broker.wsPort}`,
      topicFilter: `ektp/v1/${SITE}/+/now_serving`,
      sound: true,
      recentCalls: 6,
    },
    clipsDir,
    port: 0,
    bind: '127.0.0.1',
    logger: silentLogger,
  });
  const { url } = await hall.start();
  t.teardown(() => hall.close());

  const loket2 = counterPublisher(broker.url, 'loket-2');
  const loket10 = counterPublisher(broker.url, 'loket-10');
  for (const p of [loket2, loket10]) {
    p.start();
    t.ok(await p.waitConnected(5000), 'counter connected');
    t.teardown(() => p.stop());
  }
  // Another site's counter on the same broker must not reach this hall.
  const otherSite = counterPublisher(broker.url, 'loket-2', 'kec-lain');
  otherSite.start();
  t.teardown(() => otherSite.stop());
  t.ok(await otherSite.waitConnected(5000));

  // A call made before the screen was switched on: shown, never spoken.
  loket2.nowServing({ counter: 'LOKET 2', queueNumber: 'A-011', at: new Date().toISOString() });
  otherSite.nowServing({ counter: 'LOKET 2', queueNumber: 'Z-999', at: new Date().toISOString() });

  const chromium = await launchChromium();
  t.teardown(() => chromium.close());
  const page = await chromium.browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(url);
  await page.waitForFunction(() => window.hall?.connected === true, { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll('.tile').length === 1, { timeout: 5000 });
  t.same(await tiles(page), [['LOKET 2', 'A-011']], 'retained call of this site on screen');
  t.equal((await page.$eval('#office', (e) => e.textContent)), 'KANTOR KECAMATAN COBLONG');
  t.match(await page.$eval('#time', (e) => e.textContent), /^\d\d\.\d\d WIB$/, 'clock in WIB');
  await new Promise((r) => setTimeout(r, 500));
  t.same(await played(page), [], 'a retained call from before the page opened is not spoken');

  t.test('calls: numbers on screen, clips in order, queued without overlap', async (t) => {
    // Both counters call at once: the second call waits for the first to finish.
    loket2.nowServing({ counter: 'LOKET 2', queueNumber: 'A-012', at: new Date().toISOString() });
    loket10.nowServing({ counter: 'LOKET 10', queueNumber: 'B-123', at: new Date().toISOString() });
    const a012 = ['chime', 'nomor-antrean', 'huruf-a', 'dua', 'belas', 'silakan-ke-loket', 'dua'];
    const b123 = ['chime', 'nomor-antrean', 'huruf-b', 'seratus', 'dua', 'puluh', 'tiga', 'silakan-ke-loket', 'sepuluh'];
    t.same(callClips('A-012', 'LOKET 2'), a012);
    t.same(callClips('B-123', 'LOKET 10'), b123);
    await waitQuiet(page, a012.length + b123.length);
    t.same(await played(page), [...a012, ...b123], 'A-012 → LOKET 2 then B-123 → LOKET 10, clip by clip');
    t.same(await tiles(page), [['LOKET 2', 'A-012'], ['LOKET 10', 'B-123']], 'tiles in loket order');
    t.same(
      await page.$$eval('#recent li .n', (els) => els.map((e) => e.textContent)),
      ['B-123', 'A-012', 'A-011'],
      'last calls, newest first',
    );
    const size = await page.$eval('.tile .number', (e) => parseFloat(getComputedStyle(e).fontSize));
    t.ok(size >= 100, `queue number ${size}px high on a 1280 px wide screen`);
    t.same(pageErrors, []);

    const shot = resolve(process.env.HALL_SCREENSHOT ?? join('.tap', 'hall-display.png'));
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    t.ok(statSync(shot).size > 10_000, 'screenshot written');
    t.comment(`hall display screenshot: ${shot}`);
  });

  t.test('a repeated PANGGIL repeats the call', async (t) => {
    const before = (await played(page)).length;
    loket10.nowServing({ counter: 'LOKET 10', queueNumber: 'B-123', at: new Date(Date.now() + 1000).toISOString() });
    await waitQuiet(page, before + 9);
    t.same((await played(page)).slice(before), ['chime', 'nomor-antrean', 'huruf-b', 'seratus', 'dua', 'puluh', 'tiga', 'silakan-ke-loket', 'sepuluh']);
    t.same(
      await page.$$eval('#recent li .n', (els) => els.map((e) => e.textContent)),
      ['B-123', 'A-012', 'A-011'],
      'a repeat does not add a line',
    );
  });

  t.test('broker drop: the board says so, reconnects by itself, and takes the next call', async (t) => {
    const before = (await played(page)).length;
    const connects = await page.evaluate(() => window.hall.connects);
    const restarting = broker.restart(1500);
    await page.waitForFunction(() => window.hall.connected === false, { timeout: 10_000 });
    t.match(await page.$eval('#link', (e) => e.textContent), /Terputus/, 'footer says the board is cut off');
    t.same(await tiles(page), [['LOKET 2', 'A-012'], ['LOKET 10', 'B-123']], 'numbers stay on screen meanwhile');
    await restarting;
    await page.waitForFunction((n: number) => window.hall.connected && window.hall.connects > n, { timeout: 20_000 }, connects);
    t.ok(await loket2.waitConnected(10_000), 'counter back');
    // The broker lost its retained messages; the counters publish theirs again on reconnect. Same
    // calls, so nothing is spoken twice.
    await new Promise((r) => setTimeout(r, 1500));
    t.equal((await played(page)).length, before, 'no call repeated by the reconnect');
    loket2.nowServing({ counter: 'LOKET 2', queueNumber: 'A-013', at: new Date(Date.now() + 2000).toISOString() });
    await page.waitForFunction(() => document.querySelector('.tile .number')?.textContent === 'A-013', { timeout: 10_000 });
    await waitQuiet(page, before + 7);
    t.same((await played(page)).slice(before), ['chime', 'nomor-antrean', 'huruf-a', 'tiga', 'belas', 'silakan-ke-loket', 'dua']);
  });

  t.test('a counter that stops cleanly leaves the board', async (t) => {
    await loket10.stop();
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 1, { timeout: 10_000 });
    t.same(await tiles(page), [['LOKET 2', 'A-013']]);
    t.notMatch(JSON.stringify(await page.evaluate(() => window.hall.board)), /Z-999/, 'no call of another site');
  });
});
