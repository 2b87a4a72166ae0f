import type { SlipDocument } from '../../drivers/printer/types.ts';
import { center, checkColumns, freeOfCharge, header, para, title, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import type { QueueTicketData } from './types.ts';

/**
 * The queue ticket, printed after the intake desk took the old KTP and the summons letter (SOP
 * step 2), so it confirms what was received instead of asking for it; the resident hands the
 * ticket back when called (step 5).
 */
export function queueTicket(data: QueueTicketData, columns: number): SlipDocument {
  checkColumns(columns);
  return {
    kind: 'queue_ticket',
    lines: [
      ...header(data.site),
      center('PENGAMBILAN KTP-el'),
      title('NOMOR ANTREAN'),
      { kind: 'feed', lines: 1 },
      title(data.queueNumber, 3),
      { kind: 'feed', lines: 1 },
      center(data.site.counter, true),
      center(dateTime(data.at, data.site.zone)),
      ...(data.waitingAhead === undefined ? [] : [center(`Antrean sebelum Anda: ${data.waitingAhead} orang`)]),
      { kind: 'rule' },
      para('KTP lama dan surat panggilan Anda sudah kami terima. Mohon tunggu sampai nomor Anda dipanggil.'),
      para('Serahkan nomor antrean ini kepada petugas loket saat dipanggil.'),
      para('Pengambilan KTP-el tidak dapat diwakilkan.'),
      ...freeOfCharge(),
      END_FEED,
    ],
  };
}
