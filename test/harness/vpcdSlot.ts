import type { CardReaderConfig } from '../../drivers/card/factory.ts';
import { chipSpec, type CardSlot } from '../../agent/sim/cardSlot.ts';

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
    async insertCard(card, layout) {
      const chip = new VirtualEktpCard({ ...chipSpec(card), faults: damaged ? { damageFile: 'biodata' } : undefined, padding: layout?.padding });
      damaged = false;
      await vpcd.insert(chip);
    },
    async removeCard() {
      await vpcd.remove();
    },
    damageNextCard() {
      damaged = true;
    },
    service: { kill: () => pcscd.kill(), restart: () => pcscd.restart() },
    async stop() {
      await vpcd.remove();
      await pcscd.stop();
    },
  };
  return { slot, readerConfig: { driver: 'pcsc', readerName: pcscd.readerNames[0], sam: { kind: 'dev-test-keys' } } };
}
