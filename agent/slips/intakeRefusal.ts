import type { SlipDocument } from '../../drivers/printer/types.ts';
import { center, checkColumns, header, para, title, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import type { SlipSite } from './types.ts';

/**
 * The intake desk's refusal: why no queue number was issued, with the code staff quote to the
 * helpdesk. It names no resident (the letter stays with the resident; nothing was recorded).
 */
export function intakeRefusalSlip(data: { site: SlipSite; at: string; code: string; text: string }, columns: number): SlipDocument {
  checkColumns(columns);
  return {
    kind: 'intake_refusal',
    lines: [
      ...header(data.site),
      title('NOMOR ANTREAN TIDAK DIBERIKAN'),
      center(dateTime(data.at, data.site.zone)),
      { kind: 'rule' },
      para(data.text),
      para(`Kode: ${data.code}`),
      END_FEED,
    ],
  };
}
