import type { SimCardReader } from '../../drivers/card/sim.ts';
import type { CardData } from '../../drivers/card/types.ts';
import type { VirtualCardSpec } from '../../drivers/card/virtual/ektpCard.ts';

/** How the chip stores its files; `padding`: fixed-size EFs with 00/FF after the TLV. */
export interface ChipLayout {
  readonly padding?: VirtualCardSpec['padding'];
}

/**
 * Where a virtual resident's e-KTP goes: on the simulated reader here, or (test/harness/vpcdSlot.ts)
 * into a vpcd slot of a real pcscd so the agent reads it through PC/SC like a real chip.
 */
export interface CardSlot {
  insertCard(card: CardData, layout?: ChipLayout): Promise<void>;
  removeCard(): Promise<void>;
  /** The next card inserted is damaged: a file that is not valid TLV (unreadable chip). */
  damageNextCard(): void;
  /** The PC/SC service behind a vpcd slot, to kill and restart it as systemd would; absent on the simulator. */
  readonly service?: { kill(): Promise<void>; restart(): Promise<void> };
  stop(): Promise<void>;
}

export function simSlot(reader: SimCardReader): CardSlot {
  let damaged = false;
  return {
    async insertCard(card, layout) {
      if (damaged) reader.failNextRead('MALFORMED_DATA');
      damaged = false;
      // A chip layout needs the APDU-level virtual card; plain card data is read directly.
      reader.insertCard(layout?.padding ? { ...chipSpec(card), padding: layout.padding } : card);
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

/** The virtual chip that carries `card` (same UID), for the APDU-level card paths. */
export function chipSpec(card: CardData): VirtualCardSpec {
  return {
    resident: { biodata: card.biodata, photo: card.photo, signature: card.signature, fingers: card.fingers },
    uid: Uint8Array.from(Buffer.from(card.cardUid, 'hex')),
  };
}
