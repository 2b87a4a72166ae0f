/**
 * The residents' side of scripts/bench-agent-day.ts, in a process of its own: their synthetic
 * fingers (matcher/synth master prints, ~1.5 MB each, two per resident), the e-KTP chips made
 * from them and every impression put on the sensor. Kept out of the measured process because on
 * a real counter the residents' fingers are not in the agent's memory; only the frames the sensor
 * delivers are, and those still cross into the agent here.
 *
 *   node .bench-dist/scripts/bench-agent-world.js REQUEST_FIFO RESPONSE_FIFO SEED
 */
import { openSync } from 'node:fs';
import { VirtualWorld } from '../agent/sim/world.ts';
import { readFrame, writeFrame } from './bench-agent-pipe.ts';
import type { WorldRequest } from './bench-agent-remoteWorld.ts';

const [requests, responses, seed] = [process.argv[2], process.argv[3], Number(process.argv[4])];
// Same order as the measured process (requests, then responses): opening a FIFO waits for its other end.
const input = openSync(requests, 'r');
const output = openSync(responses, 'w');
const world = new VirtualWorld(seed);

for (let req = readFrame(input) as WorldRequest | null; req !== null; req = readFrame(input) as WorldRequest | null) {
  switch (req.op) {
    case 'card':
      writeFrame(output, world.makeCard(req.resident, req.opts));
      break;
    case 'genuine':
      writeFrame(output, world.genuine(req.resident, req.finger, req.attempt));
      break;
    case 'impostor':
      writeFrame(output, world.impostor(req.resident, req.finger, req.attempt));
      break;
    case 'badFrame':
      writeFrame(output, world.badFrame(req.kind, req.attempt, req.resident));
      break;
  }
}
