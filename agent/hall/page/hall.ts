/**
 * The hall display page (runs in the TV's browser; bundled by server.ts). Subscribes to every
 * counter's `now_serving` of the site over MQTT over WebSockets, draws the board, and speaks each
 * call. mqtt.js reconnects by itself after a broker or network drop; the board keeps the last
 * numbers on screen meanwhile and says so in the footer.
 */
import mqtt from 'mqtt';
import { applyMessage, EMPTY_BOARD, tiles, type BoardState, type Call } from '../board.ts';
import type { HallPageConfig } from '../config.ts';
import { ALL_CLIP_NAMES, callClips } from '../spokenCall.ts';
import { Announcer } from './announcer.ts';
import { clockText } from './clock.ts';

/** State the browser test reads; harmless on a real screen. */
interface HallDebug {
  played: string[];
  announced: Call[];
  board: BoardState;
  connected: boolean;
  connects: number;
  skipped: () => number;
  pending: () => number;
}

declare global {
  interface Window {
    hall: HallDebug;
  }
}

const $ = (id: string) => document.getElementById(id)!;

function el(tag: string, cls: string, text: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  e.textContent = text;
  return e;
}

async function main(): Promise<void> {
  const cfg = (await (await fetch('/config.json')).json()) as HallPageConfig;
  $('office').textContent = cfg.office;
  $('region').textContent = cfg.region;

  const tick = () => {
    const c = clockText(new Date(), cfg.timezone);
    $('time').textContent = c.time;
    $('date').textContent = c.date;
  };
  tick();
  setInterval(tick, 1000);

  const announcer = cfg.sound ? new Announcer() : null;
  let board = EMPTY_BOARD;
  const calling = new Set<string>();
  const debug: HallDebug = {
    played: announcer?.played ?? [],
    announced: [],
    board,
    connected: false,
    connects: 0,
    skipped: () => announcer?.skipped ?? 0,
    pending: () => announcer?.pending ?? 0,
  };
  window.hall = debug;

  if (announcer) {
    announcer.preload(ALL_CLIP_NAMES);
    const gate = $('sound-gate');
    const showGate = () => (gate.hidden = !announcer.blocked);
    $('sound-enable').addEventListener('click', () => void announcer.resume().then(showGate));
    announcer.onStateChange(showGate);
    showGate();
  }

  const render = () => {
    const counters = $('counters');
    const list = tiles(board);
    counters.replaceChildren(
      ...(list.length === 0
        ? [el('div', 'empty', 'Belum ada panggilan')]
        : list.map((c) => {
            const tile = el('div', calling.has(c.device) ? 'tile calling' : 'tile', '');
            tile.dataset.device = c.device;
            tile.append(el('div', 'label', c.counter), el('div', 'number', c.queueNumber));
            return tile;
          })),
    );
    $('recent').replaceChildren(
      ...board.recent.map((c) => {
        const li = document.createElement('li');
        li.append(el('span', 'n', c.queueNumber), el('span', 'c', c.counter));
        return li;
      }),
    );
    debug.board = board;
  };

  const link = $('link');
  const setLink = (text: string, online: boolean) => {
    link.textContent = text;
    link.className = `link ${online ? 'online' : 'offline'}`;
    debug.connected = online;
  };

  const url = cfg.brokerWsUrl.replaceAll('{host}', location.hostname);
  const client = mqtt.connect(url, {
    protocolVersion: 5,
    clientId: `hall-${cfg.siteId}-${Math.random().toString(16).slice(2, 10)}`,
    clean: true,
    keepalive: 15,
    connectTimeout: 5000,
    reconnectPeriod: 2000,
    // Subscribed on every connect instead (clean session): one rule, whatever mqtt.js remembers.
    resubscribe: false,
  });
  client.on('connect', () => {
    debug.connects += 1;
    setLink('Terhubung', true);
    // Clean session: subscribe on every connect; the broker then resends the retained calls, and
    // board.ts announces only those the board has not seen.
    client.subscribe(cfg.topicFilter, { qos: 1 });
  });
  client.on('reconnect', () => setLink('Terputus, menyambung ulang\u2026', false));
  client.on('offline', () => setLink('Terputus, menyambung ulang\u2026', false));
  client.on('close', () => setLink('Terputus, menyambung ulang\u2026', false));
  client.on('message', (topic, payload, packet) => {
    const device = topic.split('/').at(-2) ?? topic;
    const applied = applyMessage(
      board,
      { device, payload: payload.toString(), retained: packet.retain === true, reconnected: debug.connects > 1 },
      cfg.recentCalls,
    );
    board = applied.state;
    const call = applied.announce;
    if (call) {
      debug.announced.push(call);
      const clips = callClips(call.queueNumber, call.counter);
      if (announcer) {
        announcer.enqueue(clips, {
          start: () => {
            calling.add(call.device);
            render();
          },
          end: () => {
            calling.delete(call.device);
            render();
          },
        });
      }
    }
    render();
  });
  render();
}

void main();
