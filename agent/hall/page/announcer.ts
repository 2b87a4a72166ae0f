/**
 * Plays calls through Web Audio, one call at a time and one clip after another: calls queue and
 * never overlap. Each clip is fetched once from the box and decoded once. `played` lists every clip
 * in the order it started, for the browser test (window.hall.played).
 */
export interface AnnounceHooks {
  readonly start?: () => void;
  readonly end?: () => void;
}

const GAP_BETWEEN_CALLS_MS = 700;
/** A clip whose `ended` never comes (audio device gone) must not stall the queue for the day. */
const ENDED_GRACE_MS = 1500;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Announcer {
  readonly played: string[] = [];
  /** Calls that arrived while the browser would not play sound (no user gesture yet). */
  skipped = 0;
  private readonly queue: { clips: readonly string[]; hooks: AnnounceHooks }[] = [];
  private busy = false;
  private readonly buffers = new Map<string, Promise<AudioBuffer | null>>();
  private readonly ctx = new AudioContext();

  constructor(private readonly base = '/clips/') {}

  get blocked(): boolean {
    return this.ctx.state !== 'running';
  }

  onStateChange(fn: () => void): void {
    this.ctx.addEventListener('statechange', fn);
  }

  resume(): Promise<void> {
    return this.ctx.resume();
  }

  /** Fetches and decodes clips ahead of the first call. */
  preload(names: readonly string[]): void {
    for (const n of names) void this.load(n);
  }

  enqueue(clips: readonly string[], hooks: AnnounceHooks = {}): void {
    this.queue.push({ clips, hooks });
    void this.pump();
  }

  get pending(): number {
    return this.queue.length + (this.busy ? 1 : 0);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        item.hooks.start?.();
        if (this.blocked) {
          // The board still shows the call; the hall display's gate asks for one tap.
          this.skipped += 1;
        } else {
          for (const clip of item.clips) await this.play(clip);
        }
        item.hooks.end?.();
        await sleep(GAP_BETWEEN_CALLS_MS);
      }
    } finally {
      this.busy = false;
    }
  }

  private load(name: string): Promise<AudioBuffer | null> {
    let p = this.buffers.get(name);
    if (!p) {
      p = fetch(`${this.base}${name}.wav`)
        .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((b) => this.ctx.decodeAudioData(b))
        .catch((err: unknown) => {
          console.error(`clip ${name} not available`, err);
          this.buffers.delete(name);
          return null;
        });
      this.buffers.set(name, p);
    }
    return p;
  }

  private async play(name: string): Promise<void> {
    const buffer = await this.load(name);
    if (!buffer) return;
    const src = this.ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.ctx.destination);
    const ended = new Promise<void>((resolve) => src.addEventListener('ended', () => resolve(), { once: true }));
    this.played.push(name);
    src.start();
    await Promise.race([ended, sleep(buffer.duration * 1000 + ENDED_GRACE_MS)]);
  }
}
