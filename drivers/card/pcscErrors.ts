import { CardError, type CardErrorCode } from './types.ts';

/** PC/SC return codes (pcsc-lite pcsclite.h) that the counter must tell apart. */
const CODES: ReadonlyArray<readonly [number, CardErrorCode, boolean]> = [
  [0x80100069, 'CARD_REMOVED', true], // SCARD_W_REMOVED_CARD
  [0x8010000c, 'NO_CARD', true], // SCARD_E_NO_SMARTCARD
  [0x80100068, 'TRANSMIT_FAILED', true], // SCARD_W_RESET_CARD: someone else reset it
  [0x80100066, 'TRANSMIT_FAILED', true], // SCARD_W_UNRESPONSIVE_CARD
  [0x80100067, 'TRANSMIT_FAILED', true], // SCARD_W_UNPOWERED_CARD
  [0x80100016, 'TRANSMIT_FAILED', true], // SCARD_E_NOT_TRANSACTED
  [0x8010000f, 'TRANSMIT_FAILED', true], // SCARD_E_PROTO_MISMATCH
  [0x80100065, 'TRANSMIT_FAILED', true], // SCARD_W_UNSUPPORTED_CARD
  [0x80100008, 'TRANSMIT_FAILED', false], // SCARD_E_INSUFFICIENT_BUFFER
  [0x80100017, 'READER_ABSENT', true], // SCARD_E_READER_UNAVAILABLE
  [0x80100009, 'READER_ABSENT', true], // SCARD_E_UNKNOWN_READER
  [0x8010002e, 'READER_ABSENT', true], // SCARD_E_NO_READERS_AVAILABLE
  [0x8010001d, 'SERVICE_UNAVAILABLE', true], // SCARD_E_NO_SERVICE
  [0x8010001e, 'SERVICE_UNAVAILABLE', true], // SCARD_E_SERVICE_STOPPED
  [0x80100003, 'SERVICE_UNAVAILABLE', true], // SCARD_E_INVALID_HANDLE: context died with pcscd
  [0x80100013, 'SERVICE_UNAVAILABLE', true], // SCARD_F_COMM_ERROR: socket to pcscd broke
  [0x8010000a, 'TIMEOUT', true], // SCARD_E_TIMEOUT
  [0x8010000b, 'TRANSMIT_FAILED', true], // SCARD_E_SHARING_VIOLATION: another process holds it
  [0x80100002, 'CANCELED', false], // SCARD_E_CANCELLED
];

/** Turns a node-pcsclite error ("SCardTransmit error: Card was removed.(0x80100069)") into a CardError. */
export function fromPcscError(err: unknown, step: string): CardError {
  if (err instanceof CardError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const m = /\(0x([0-9a-f]{8})\)/i.exec(message);
  const rc = m ? Number.parseInt(m[1], 16) : undefined;
  const hit = CODES.find(([c]) => c === rc);
  const [, code, retryable] = hit ?? [0, 'TRANSMIT_FAILED' as const, true];
  return new CardError(code, `${step}: ${message}`, {
    retryable,
    cause: err,
    detail: { step, pcsc: rc === undefined ? undefined : `0x${rc.toString(16)}` },
  });
}
