/**
 * Test harness for the card reader: a private pcscd with the vsmartcard vpcd driver and the
 * TCP_NODELAY shim, plus a virtual card and a virtual SAM slot. See drivers/card/README.md
 * ("Running through pcscd + vpcd") for why it runs in its own mount namespace.
 */
import { startPrivatePcscd, type PrivatePcscd } from '../harness/vpcd/privatePcscd.ts';
import { VpcdCard } from '../harness/vpcd/vpcdCard.ts';

export type { PrivatePcscd };

export interface PcscdRig {
  readonly pcscd: PrivatePcscd;
  /** The card slot (vpcd slot 00). */
  readonly cardSlot: VpcdCard;
  /** The SAM slot (vpcd slot 01). */
  readonly samSlot: VpcdCard;
  stop(): Promise<void>;
}

export async function startPcscdRig(opts: { log?: boolean } = {}): Promise<PcscdRig> {
  const pcscd = await startPrivatePcscd({ onLog: opts.log ? (l) => console.error(`[pcscd] ${l}`) : undefined });
  const cardSlot = new VpcdCard({ port: pcscd.port });
  const samSlot = new VpcdCard({ port: pcscd.port + 1 });
  return {
    pcscd,
    cardSlot,
    samSlot,
    async stop() {
      await cardSlot.remove();
      await samSlot.remove();
      await pcscd.stop();
    },
  };
}
