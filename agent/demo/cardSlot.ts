import type { CardReaderConfig } from '../../drivers/card/factory.ts';
import type { SimCardReader } from '../../drivers/card/sim.ts';
import type { CardData } from '../../drivers/card/types.ts';

/**
 * Where the demo puts an e-KTP: on the simulated reader, or into a vpcd slot of a real pcscd so
 * the agent reads it through PC/SC, the development SAM and secure messaging like a real chip.
 */
export interface CardSlot {
  insertCard(card: CardData): Promise<void>;
  removeCard(): Promise<void>;
  /** The next card inserted is damaged: a file that is not valid TLV (unreadable chip). */
  damageNextCard(): void;
  stop(): Promise<void>;
}

export function simSlot(reader: SimCardReader): CardSlot {
  let damaged = false;
  return {
    async insertCard(card) {
      if (damaged) reader.failNextRead('MALFORMED_DATA');
      damaged = false;
      reader.insertCard(card);
    },
    async removeCard() {
      reader.removeCard();
    },
    damageNextCard() {
      damaged = true;
    },
    async stop() {},
  };
}

/**
 * A private pcscd with vsmartcard's vpcd driver (needs root and the Debian packages pcscd and
 * vsmartcard-vpcd), and the reader config that points the agent's PC/SC driver at it.
 */
export async function vpcdSlot(): Promise<{ slot: CardSlot; readerConfig: CardReaderConfig }> {
  const { startPrivatePcscd } = await import('../../drivers/card/vpcd/privatePcscd.ts');
  const { VpcdCard } = await import('../../drivers/card/virtual/vpcdCard.ts');
  const { VirtualEktpCard } = await import('../../drivers/card/virtual/ektpCard.ts');
  const pcscd = await startPrivatePcscd();
  const vpcd = new VpcdCard({ port: pcscd.port });
  let damaged = false;
  const slot: CardSlot = {
    async insertCard(card) {
      const chip = new VirtualEktpCard({
        resident: { biodata: card.biodata, photo: card.photo, signature: card.signature, fingers: card.fingers },
        uid: Uint8Array.from(Buffer.from(card.cardUid, 'hex')),
        faults: damaged ? { damageFile: 'biodata' } : undefined,
      });
      damaged = false;
      await vpcd.insert(chip);
    },
    async removeCard() {
      await vpcd.remove();
    },
    damageNextCard() {
      damaged = true;
    },
    async stop() {
      await vpcd.remove();
      await pcscd.stop();
    },
  };
  return { slot, readerConfig: { driver: 'pcsc', readerName: pcscd.readerNames[0], sam: { kind: 'dev-test-keys' } } };
}
