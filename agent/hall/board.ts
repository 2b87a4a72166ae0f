/**
 * The hall board's state and the one decision that matters for the hall: which messages are
 * announced aloud. Pure, so the browser page and the unit tests share it.
 *
 * - A live `now_serving` with a new `at` is a call (a repeated PANGGIL has a new `at`: it repeats).
 * - Retained messages on the first connect are the board as it stands: shown, never spoken, or a
 *   TV switched on mid-morning would read out every loket.
 * - Retained messages after a reconnect with an `at` the board has not seen are calls made while
 *   the hall was cut off: they are announced, so a resident is not left waiting for a silent board.
 * - An empty retained payload is a counter that stopped cleanly: its tile goes.
 */
export interface Call {
  /** Device id from the topic (`loket-2`): the key, stable across label changes. */
  readonly device: string;
  /** Label from the payload (`LOKET 2`): what the hall sees and hears. */
  readonly counter: string;
  readonly queueNumber: string;
  readonly at: string;
}

export interface BoardState {
  readonly counters: Readonly<Record<string, Call>>;
  /** Newest first, one entry per queue number. */
  readonly recent: readonly Call[];
}

export const EMPTY_BOARD: BoardState = { counters: {}, recent: [] };

export interface Applied {
  readonly state: BoardState;
  readonly announce: Call | null;
}

/** Parses a now_serving payload; null if it is not one (the board ignores it). */
export function parseNowServing(device: string, payload: string): Call | null {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const { counter, queueNumber, at } = v as Record<string, unknown>;
  if (typeof counter !== 'string' || typeof queueNumber !== 'string' || typeof at !== 'string') return null;
  if (counter.length === 0 || counter.length > 32 || !/^[A-Za-z0-9-]{1,12}$/.test(queueNumber)) return null;
  return { device, counter, queueNumber, at };
}

export function applyMessage(
  state: BoardState,
  msg: { device: string; payload: string; retained: boolean; reconnected: boolean },
  recentSize: number,
): Applied {
  if (msg.payload === '') {
    if (!(msg.device in state.counters)) return { state, announce: null };
    const counters = { ...state.counters };
    delete counters[msg.device];
    return { state: { ...state, counters }, announce: null };
  }
  const call = parseNowServing(msg.device, msg.payload);
  if (!call) return { state, announce: null };
  const current = state.counters[msg.device];
  if (current && current.at === call.at && current.queueNumber === call.queueNumber) return { state, announce: null };
  const recent = [call, ...state.recent.filter((c) => c.queueNumber !== call.queueNumber)].slice(0, recentSize);
  const next: BoardState = { counters: { ...state.counters, [msg.device]: call }, recent };
  const isNew = !current || call.at > current.at;
  const announce = isNew && (!msg.retained || msg.reconnected) ? call : null;
  return { state: next, announce };
}

/** Tiles in loket order: "LOKET 2" before "LOKET 10", then by label. */
export function tiles(state: BoardState): Call[] {
  const num = (c: Call) => Number(/(\d+)\s*$/.exec(c.counter)?.[1] ?? Number.MAX_SAFE_INTEGER);
  return Object.values(state.counters).sort((a, b) => num(a) - num(b) || a.counter.localeCompare(b.counter));
}
