import t from 'tap';
import { OPERATOR_MESSAGES, operatorMessage } from '../../agent/operatorMessages.ts';
import type { CounterErrorCode } from '../../agent/errors.ts';
import type { LedgerErrorCode } from '../../agent/ledger/errors.ts';
import type { MatchingErrorCode } from '../../agent/matching/types.ts';
import type { CardErrorCode } from '../../drivers/card/types.ts';
import type { DisplayErrorCode } from '../../drivers/display/types.ts';
import type { SensorErrorCode } from '../../drivers/fingerprint/types.ts';
import type { PanelErrorCode } from '../../drivers/panel/types.ts';
import type { PrinterErrorCode } from '../../drivers/printer/types.ts';
import type { ScannerErrorCode } from '../../drivers/scanner/types.ts';
import type { KeypadErrorCode } from '../../drivers/keypad/types.ts';
import type { CaptureGuidance } from '../../matcher/types.ts';

type AnyCode =
  | CounterErrorCode
  | LedgerErrorCode
  | MatchingErrorCode
  | CardErrorCode
  | SensorErrorCode
  | PanelErrorCode
  | DisplayErrorCode
  | PrinterErrorCode
  | ScannerErrorCode
  | KeypadErrorCode
  | CaptureGuidance
  | 'WRONG_STATE'
  | 'NO_OTHER_FINGER'
  | 'FP_NO_MATCH'
  | 'CONFIG_INVALID';

// A Record over the union: tsc (part of npm test) fails here when a code is added to any union
// and not to this list, so the assertion below covers every code there is.
const EVERY_CODE: Record<AnyCode, true> = {
  ROSTER_INVALID: true, ROSTER_ALREADY_IMPORTED: true, LETTER_UNKNOWN: true, ALREADY_ISSUED: true, ALREADY_QUEUED: true,
  QUEUE_EMPTY: true, WRONG_STATE: true, CARD_MISMATCH: true, NOT_ON_ROSTER: true, LEDGER_INCONSISTENT: true,
  INVALID_TEMPLATE: true, INVALID_IMAGE: true, WORKER_CRASHED: true, CANCELED: true, CLOSED: true,
  READER_ABSENT: true, SERVICE_UNAVAILABLE: true, NO_CARD: true, CARD_REMOVED: true, TRANSMIT_FAILED: true,
  BAD_STATUS_WORD: true, SAM_ABSENT: true, SAM_REFUSED: true, AUTH_FAILED: true, SIGNATURE_INVALID: true,
  MALFORMED_DATA: true, TIMEOUT: true, ABSENT: true, DISCONNECTED: true, BAD_FRAME: true, PROTOCOL: true, BUSY: true,
  GPIO_UNAVAILABLE: true, GPIO_LINE_NOT_FOUND: true, GPIO_IO: true, PANEL_CONFIG: true,
  DISPLAY_ABSENT: true, DISPLAY_IO: true, DISPLAY_CONFIG: true,
  PRINTER_ABSENT: true, PRINTER_OFFLINE: true, PAPER_OUT: true, COVER_OPEN: true, CUTTER_ERROR: true, PRINTER_IO: true,
  PRINTER_TIMEOUT: true, PRINTER_CONFIG: true,
  NO_FINGER: true, PRESS_HARDER: true, PRESS_LIGHTER: true, CENTER_FINGER: true, CLEAN_SENSOR: true,
  NO_OTHER_FINGER: true, FP_NO_MATCH: true, CONFIG_INVALID: true,
  ROSTER_WRONG_SITE: true, ROSTER_TOO_LARGE: true,
  DELIVERY_UNKNOWN_BATCH: true, DELIVERY_ALREADY_RECORDED: true, DELIVERY_BAD_UID: true,
  DAY_CLOSED: true, DAY_ALREADY_CLOSED: true, DAY_OPEN_TRANSACTION: true, DAY_TICKETS_LEASED: true, DAY_COUNT_INVALID: true, CASE_OPENED: true,
  NIK_UNKNOWN: true, LOSS_REPORT_INVALID: true, QUEUE_UNREACHABLE: true, QUEUE_LEDGER_REFUSED: true, OFFICE_LINK_REFUSED: true, OFFICE_LINK_TLS: true, OFFICE_TLS_FILE: true,
  SCANNER_ABSENT: true, SCANNER_IO: true, SCAN_UNREADABLE: true, SCANNER_CONFIG: true,
  KEYPAD_ABSENT: true, KEYPAD_IO: true, KEYPAD_OVERFLOW: true, KEYPAD_CONFIG: true,
  LEDGER_MISSING: true, LEDGER_EXISTS: true, LEDGER_IN_USE: true, LEDGER_UNREADABLE: true, LEDGER_TAMPERED: true,
  LEDGER_KEY_MISSING: true, LEDGER_KEY_MISMATCH: true, DATA_DIR_READ_ONLY: true, DISK_FULL: true,
  CLOCK_NOT_SYNCED: true, CLOCK_IMPLAUSIBLE: true,
};

t.test('operatorMessages', async (t) => {
  t.test('has an LED pattern and a Bahasa text for every code a part of the counter can raise', async (t) => {
    const missing = Object.keys(EVERY_CODE).filter((code) => !(code in OPERATOR_MESSAGES));
    t.same(missing, []);
  });
  t.test('falls back to GANGGUAN for a code nobody planned for', async (t) => {
    t.same(operatorMessage('SOMETHING_NEW').led, 'GANGGUAN');
  });
});
