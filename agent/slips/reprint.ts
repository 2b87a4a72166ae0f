import type { SlipDocument, SlipLine } from '../../drivers/printer/types.ts';

export const REPRINT_MARK = '*** CETAK ULANG ***';

/**
 * A copy that may duplicate paper already handed out carries this banner at the top and at the
 * bottom (above the tear-off feed), so a torn-off partial and its reprint can never pass as two
 * separate slips.
 */
export function reprintBanner(doc: SlipDocument): SlipDocument {
  const banner: SlipLine = { kind: 'text', text: REPRINT_MARK, align: 'center', bold: true };
  const body = [...doc.lines];
  const tail: SlipLine[] = [];
  while (body.length > 0 && body[body.length - 1].kind === 'feed') tail.unshift(body.pop() as SlipLine);
  return { kind: doc.kind, lines: [banner, { kind: 'feed', lines: 1 }, ...body, { kind: 'feed', lines: 1 }, banner, ...tail] };
}
