export { queueTicket } from './queueTicket.ts';
export { dataCheckSlip } from './dataCheck.ts';
export { resultSlip } from './result.ts';
export { receiptSlip } from './receipt.ts';
export { beritaAcaraSlip } from './beritaAcara.ts';
export { dailyReportSlip } from './dailyReport.ts';
export { maskNik } from './mask.ts';
export { reprintBanner, REPRINT_MARK } from './reprint.ts';
export type * from './types.ts';
