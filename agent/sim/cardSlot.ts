import type { SimCardReader } from '../../drivers/card/sim.ts';
import type { CardData } from '../../drivers/card/types.ts';

/**
 * Where a virtual resident's e-KTP goes: on the simulated reader here, or (test/harness/vpcdSlot.ts)
 * into a vpcd slot of a real pcscd so the agent reads it through PC/SC like a real chip.
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
