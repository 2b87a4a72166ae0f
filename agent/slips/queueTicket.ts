import type { SlipDocument } from '../../drivers/printer/types.ts';
import { center, checkColumns, freeOfCharge, header, para, title, END_FEED } from './common.ts';
import { dateTime } from './format.ts';
import type { QueueTicketData } from './types.ts';

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
      para('Siapkan KTP lama dan surat panggilan. Tunggu sampai nomor Anda dipanggil.'),
      para('Pengambilan KTP-el tidak dapat diwakilkan.'),
      ...freeOfCharge(),
      END_FEED,
    ],
  };
}
