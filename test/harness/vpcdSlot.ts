import type { CardReaderConfig } from '../../drivers/card/factory.ts';
import { chipSpec, type CardSlot } from '../../agent/sim/cardSlot.ts';

/**
 * A private pcscd with vsmartcard's vpcd driver (needs root and the Debian packages pcscd and
 * vsmartcard-vpcd), and the reader config that points the agent's PC/SC driver at it.
 */
/** What vpcd's side of the slot saw: the witness that the agent's reads went through pcscd. */
export interface VpcdWitness {
  /** Cards put into the slot. */
  readonly inserted: number;
  /** Of those, cards that vpcd sent at least one APDU to while they were in the slot. */
  readonly answered: number;
  /** APDUs vpcd sent, all cards together. */
  readonly apdus: number;
}

export async function vpcdSlot(): Promise<{ slot: CardSlot; readerConfig: CardReaderConfig; witness: () => VpcdWitness }> {
  const { startPrivatePcscd } = await import('./vpcd/privatePcscd.ts');
  const { VpcdCard } = await import('./vpcd/vpcdCard.ts');
  const { VirtualEktpCard } = await import('../../drivers/card/virtual/ektpCard.ts');
  const pcscd = await startPrivatePcscd();
  const vpcd = new VpcdCard({ port: pcscd.port });
  let damaged = false;
  let inserted = 0;
  let answered = 0;
  /** vpcd's APDU count when the card now in the slot went in; null while the slot is empty. */
  let apdusAtInsert: number | null = null;
  const taken = () => {
    if (apdusAtInsert !== null && vpcd.apdus > apdusAtInsert) answered += 1;
    apdusAtInsert = null;
  };
  const slot: CardSlot = {
    async insertCard(card, layout) {
      const chip = new VirtualEktpCard({ ...chipSpec(card), faults: damaged ? { damageFile: 'biodata' } : undefined, padding: layout?.padding });
      damaged = false;
      await vpcd.insert(chip);
      inserted += 1;
      apdusAtInsert = vpcd.apdus;
    },
    async removeCard() {
      taken();
      await vpcd.remove();
    },
    damageNextCard() {
      damaged = true;
    },
    service: { kill: () => pcscd.kill(), restart: () => pcscd.restart() },
    async stop() {
      taken();
      await vpcd.remove();
      await pcscd.stop();
    },
  };
  return {
    slot,
    readerConfig: { driver: 'pcsc', readerName: pcscd.readerNames[0], sam: { kind: 'dev-test-keys' } },
    witness: () => ({ inserted, answered, apdus: vpcd.apdus }),
  };
}
