import type { Config } from '../config/types.ts';
import type { Counter } from '../counter.ts';
import { virtualRoster, type RosterSigner } from './roster.ts';
import { makeResident, makeResidents, type VirtualResident } from './residents.ts';
import { VirtualWorld } from './world.ts';
import type { PlayedResident } from './scenarios.ts';
import { scenarioFor } from './scenarios.ts';

export interface VirtualDay {
  readonly world: VirtualWorld;
  readonly played: readonly PlayedResident[];
  /** A resident with a summons letter from another site: never on this roster. */
  readonly outsider: VirtualResident;
}

/**
 * The signed delivery roster of the virtual residents, imported once per seed. Cheap (no
 * fingerprints): what the agent itself does on the simulated counter without a terminal, where
 * nobody plays the residents' side.
 */
export function importVirtualRoster(
  counter: Counter,
  config: Config,
  seed: number,
  residentCount: number,
  now: Date,
  signer?: RosterSigner,
): readonly VirtualResident[] {
  const residents = makeResidents(seed, residentCount);
  const batchId = `VIRTUAL-${seed}-${residentCount}`;
  if (!counter.ledger.rosterImported(batchId)) counter.importRoster(virtualRoster(residents, config.site.id, batchId, now.toISOString(), signer));
  return residents;
}

/**
 * Virtual residents with their e-KTP chips (templates enrolled by the real matcher from
 * synthetic prints) and their signed delivery roster, imported once per seed. Used by the demo
 * and by the agent itself when every device is simulated and a keyboard console plays the residents.
 * `world` is where the residents' fingers live: in this process unless the caller keeps them
 * elsewhere (scripts/bench-agent-day.ts keeps them out of the process it measures).
 */
export function prepareVirtualDay(
  counter: Counter,
  config: Config,
  seed: number,
  residentCount: number,
  now: Date,
  world: VirtualWorld = new VirtualWorld(seed),
  signer?: RosterSigner,
): VirtualDay {
  const residents = importVirtualRoster(counter, config, seed, residentCount, now, signer);
  const played: PlayedResident[] = residents.map((resident, i) => playedResident(world, resident, i));
  return { world, played, outsider: makeResident(seed + 1_000_000, 0) };
}

/**
 * One resident's scenario and e-KTP chip, made when needed: enrolling the templates is the costly
 * part of a virtual day, and a counter of a big simulated office serves only some of them.
 */
export function playedResident(world: VirtualWorld, resident: VirtualResident, index: number): PlayedResident {
  const scenario = scenarioFor(index);
  // A card printed with a wrong address: the chip disagrees with the enrolment record.
  const chipBiodata = scenario === 'dispute_differs' ? { ...resident.biodata, address: `${resident.biodata.address} BLOK X` } : undefined;
  return { resident, scenario, card: world.makeCard(resident, { chipBiodata }) };
}
