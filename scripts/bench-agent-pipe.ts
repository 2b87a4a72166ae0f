/**
 * Blocking request/response frames over a pair of named pipes (FIFOs), for scripts/bench-agent-day.ts
 * and its residents' process (bench-agent-world.ts). Blocking on purpose: the scripted day asks
 * the residents' side synchronously (a finger is on the sensor or it is not), and the time the
 * measured process spends waiting is a human's, outside every counter step.
 * A frame is a 4-byte little-endian length and a v8.serialize() body (typed arrays survive).
 */
import { readSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';

function readExactly(fd: number, length: number): Buffer | null {
  const buf = Buffer.alloc(length);
  for (let at = 0; at < length; ) {
    const n = readSync(fd, buf, at, length - at, null);
    if (n === 0) return null;
    at += n;
  }
  return buf;
}

/** The next frame's value, or null at end of stream (the other side closed its end). */
export function readFrame(fd: number): unknown {
  const head = readExactly(fd, 4);
  if (!head) return null;
  const body = readExactly(fd, head.readUInt32LE(0));
  if (!body) throw new Error('bench pipe: stream ended inside a frame');
  return deserialize(body);
}

export function writeFrame(fd: number, value: unknown): void {
  const body = serialize(value);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  writeSync(fd, head);
  for (let at = 0; at < body.length; ) at += writeSync(fd, body, at);
}
