/**
 * The two-tone "ding-dong" before every call, synthesized as a 16-bit mono WAV so no recording or
 * extra package is needed. Same rate as espeak-ng's output so the page plays one format.
 */
import { wav } from './wav.ts';

export const CHIME_RATE = 22050;

/** Two bell-like notes (E5 then C5) with a fundamental and a soft octave, each decaying. */
export function chimeWav(rate = CHIME_RATE): Buffer {
  const notes = [
    { hz: 659.25, start: 0, len: 0.7 },
    { hz: 523.25, start: 0.45, len: 1.0 },
  ];
  const total = Math.ceil(rate * 1.5);
  const mix = new Float64Array(total);
  for (const n of notes) {
    const from = Math.floor(n.start * rate);
    const count = Math.min(Math.floor(n.len * rate), total - from);
    for (let i = 0; i < count; i++) {
      const t = i / rate;
      const attack = Math.min(1, t / 0.01);
      const env = attack * Math.exp(-t * 4);
      mix[from + i] += env * (Math.sin(2 * Math.PI * n.hz * t) + 0.3 * Math.sin(4 * Math.PI * n.hz * t));
    }
  }
  const out = new Int16Array(total);
  for (let i = 0; i < total; i++) out[i] = Math.round(Math.max(-1, Math.min(1, mix[i] * 0.5)) * 32767);
  return wav(out, rate);
}
