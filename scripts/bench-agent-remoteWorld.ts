/**
 * A VirtualWorld whose residents live in another process (bench-agent-world.ts): each card and
 * impression is asked for over blocking FIFOs, so the process scripts/bench-agent-day.ts measures
 * holds the agent, not 100 synthetic master prints. The simulator stays the same: the very same
 * VirtualWorld code makes every card and frame, from the same seed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { CardData, FingerPosition } from '../drivers/card/types.ts';
import type { FingerImage } from '../drivers/fingerprint/types.ts';
import type { VirtualResident } from '../agent/sim/residents.ts';
import { VirtualWorld } from '../agent/sim/world.ts';
import type { BadFrameKind } from '../matcher/synth/index.ts';
import { readFrame, writeFrame } from './bench-agent-pipe.ts';

export type WorldRequest =
  | { op: 'card'; resident: VirtualResident; opts: Parameters<VirtualWorld['makeCard']>[1] }
  | { op: 'genuine' | 'impostor'; resident: VirtualResident; finger: FingerPosition; attempt: number }
  | { op: 'badFrame'; kind: BadFrameKind; attempt: number; resident?: VirtualResident };

export class RemoteWorld extends VirtualWorld {
  readonly #child: ChildProcess;
  readonly #requests: number;
  readonly #responses: number;

  /** Starts the residents' process; `dir` holds the two FIFOs. */
  constructor(seed: number, dir: string) {
    super(seed);
    const [req, res] = [join(dir, 'world-requests'), join(dir, 'world-responses')];
    const made = spawnSync('mkfifo', [req, res], { stdio: 'inherit' });
    if (made.status !== 0) throw new Error('mkfifo failed');
    this.#child = spawn(process.execPath, [join(import.meta.dirname, 'bench-agent-world.js'), req, res, String(seed)], { stdio: 'inherit' });
    this.#requests = openSync(req, 'w');
    this.#responses = openSync(res, 'r');
  }

  #ask(req: WorldRequest): unknown {
    writeFrame(this.#requests, req);
    const value = readFrame(this.#responses);
    if (value === null) throw new Error("bench: the residents' process ended");
    return value;
  }

  override makeCard(r: VirtualResident, opts: Parameters<VirtualWorld['makeCard']>[1] = {}): CardData {
    return this.#ask({ op: 'card', resident: r, opts }) as CardData;
  }

  override genuine(r: VirtualResident, finger: FingerPosition, attempt: number): FingerImage {
    return this.#ask({ op: 'genuine', resident: r, finger, attempt }) as FingerImage;
  }

  override impostor(other: VirtualResident, finger: FingerPosition, attempt: number): FingerImage {
    return this.#ask({ op: 'impostor', resident: other, finger, attempt }) as FingerImage;
  }

  override badFrame(kind: BadFrameKind, attempt: number, r?: VirtualResident): FingerImage {
    return this.#ask({ op: 'badFrame', kind, attempt, resident: r }) as FingerImage;
  }

  /** Ends the residents' process (end of stream on its requests). */
  async close(): Promise<void> {
    closeSync(this.#requests);
    closeSync(this.#responses);
    if (this.#child.exitCode === null) await new Promise((resolve) => this.#child.once('exit', resolve));
  }
}
