import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chimeWav } from './chime.ts';
import { HallError } from './errors.ts';
import { ALL_CLIP_NAMES, CHIME, SPOKEN_CLIPS } from './spokenCall.ts';
import { trimSilence } from './wav.ts';

const run = promisify(execFile);

/** espeak-ng's Indonesian voice, a little slower than its default so a hall can follow it. */
export const VOICE = { name: 'id', wordsPerMinute: 150, pitch: 45 } as const;

export interface ClipManifest {
  readonly voice: string;
  readonly engine: string;
  readonly clips: readonly string[];
}

export const ALL_CLIPS = ALL_CLIP_NAMES;

/**
 * Renders every clip of the spoken call into `dir` (at install, and in tests): one WAV per word or
 * phrase from Debian's espeak-ng, offline, plus the synthesized chime. Each file is written under a
 * temporary name and renamed, so a display serving the folder never sends half a clip.
 */
export async function renderClips(dir: string, espeak = 'espeak-ng'): Promise<ClipManifest> {
  mkdirSync(dir, { recursive: true });
  let engine: string;
  try {
    engine = (await run(espeak, ['--version'])).stdout.trim();
  } catch (err) {
    throw new HallError('HALL_TTS_FAILED', `${espeak} is not installed (Debian package espeak-ng)`, { cause: err });
  }
  writeAtomically(join(dir, `${CHIME}.wav`), chimeWav());
  for (const [name, text] of Object.entries(SPOKEN_CLIPS)) {
    const file = join(dir, `${name}.wav`);
    try {
      await run(espeak, ['-v', VOICE.name, '-s', String(VOICE.wordsPerMinute), '-p', String(VOICE.pitch), '-w', `${file}.raw`, text]);
      writeAtomically(file, trimSilence(readFileSync(`${file}.raw`)));
      rmSync(`${file}.raw`);
    } catch (err) {
      throw new HallError('HALL_TTS_FAILED', `espeak-ng could not render clip "${name}"`, { cause: err, detail: { clip: name } });
    }
  }
  const manifest: ClipManifest = { voice: `espeak-ng ${VOICE.name}`, engine, clips: ALL_CLIPS };
  writeAtomically(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function writeAtomically(file: string, data: Buffer | string): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

/** The clips the page needs that the folder lacks (empty when complete). */
export function missingClips(dir: string): string[] {
  return ALL_CLIPS.filter((c) => !existsSync(join(dir, `${c}.wav`)));
}

/** Reads one clip for serving; null for a name that is not a clip (no path from the URL reaches the disk). */
export function readClip(dir: string, name: string): Buffer | null {
  if (!ALL_CLIPS.includes(name)) return null;
  try {
    return readFileSync(join(dir, `${name}.wav`));
  } catch {
    return null;
  }
}
