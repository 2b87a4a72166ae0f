/** Minimal PCM WAV handling for the hall clips: 16-bit mono, the format espeak-ng writes. */

/** Little-endian PCM WAV around 16-bit samples. */
export function wav(samples: Int16Array, rate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** The 16-bit mono samples and rate of a PCM WAV; throws on anything else. */
export function readWav(buf: Buffer): { samples: Int16Array; rate: number } {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new TypeError('not a WAV file');
  let off = 12;
  let rate = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (buf.readUInt16LE(body) !== 1 || buf.readUInt16LE(body + 2) !== 1 || buf.readUInt16LE(body + 14) !== 16) {
        throw new TypeError('only 16-bit mono PCM WAV is supported');
      }
      rate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (rate === 0) throw new TypeError('WAV data before fmt chunk');
      // espeak-ng writing to a file may leave the size fields short or long: trust the file length.
      const end = Math.min(buf.length, body + size) & ~1;
      const bytes = Buffer.from(buf.subarray(body, end));
      return { samples: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2), rate };
    }
    off = body + size + (size & 1);
  }
  throw new TypeError('WAV without data chunk');
}

/**
 * Cuts the silence espeak-ng leaves around a word, keeping a short margin, so the words of a
 * call joined in the page sound like one sentence rather than a list.
 */
export function trimSilence(buf: Buffer, opts: { threshold?: number; leadMs?: number; tailMs?: number } = {}): Buffer {
  const { samples, rate } = readWav(buf);
  const threshold = opts.threshold ?? 400;
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]) < threshold) first++;
  if (first === samples.length) return wav(samples, rate);
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]) < threshold) last--;
  const from = Math.max(0, first - Math.round(((opts.leadMs ?? 20) * rate) / 1000));
  const to = Math.min(samples.length, last + 1 + Math.round(((opts.tailMs ?? 80) * rate) / 1000));
  return wav(samples.slice(from, to), rate);
}
