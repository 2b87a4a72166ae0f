import type { SlipDocument } from '../../drivers/printer/types.ts';

export const REPRINT_MARK = '*** CETAK ULANG ***';

/**
 * A copy that may duplicate paper already handed out carries this banner at the top and bottom,
 * so a torn-off partial and its reprint can never pass as two separate receipts.
 */
export function reprintBanner(doc: SlipDocument): SlipDocument {
  const banner = { kind: 'text', text: REPRINT_MARK, align: 'center', bold: true } as const;
  return { kind: doc.kind, lines: [banner, ...doc.lines, banner] };
}
