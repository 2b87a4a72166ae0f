import type { CardReaderConfig } from '../../drivers/card/factory.ts';
import type { CardSlot } from '../../agent/sim/cardSlot.ts';

/**
 * A private pcscd with vsmartcard's vpcd driver (needs root and the Debian packages pcscd and
 * vsmartcard-vpcd), and the reader config that points the agent's PC/SC driver at it.
 */
export async function vpcdSlot(): Promise<{ slot: CardSlot; readerConfig: CardReaderConfig }> {
  const { startPrivatePcscd } = await import('./vpcd/privatePcscd.ts');
  const { VpcdCard } = await import('./vpcd/vpcdCard.ts');
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
