import type { EventEmitter } from 'node:events';
import { DeviceError } from '../deviceError.ts';

/** Index fingers stored on the e-KTP chip (Perpres 26/2009 jo 35/2010 Pasal 6). */
export type FingerPosition = 'right_index' | 'left_index';

/** Biodata as printed on the card and stored in the chip (domain brief §1.1). Dates are ISO `YYYY-MM-DD`. */
export interface Biodata {
  readonly nik: string;
  readonly name: string;
  readonly birthPlace: string;
  readonly birthDate: string;
  readonly sex: 'LAKI-LAKI' | 'PEREMPUAN';
  readonly bloodType: 'A' | 'B' | 'AB' | 'O' | '-';
  readonly address: string;
  readonly rtRw: string;
  readonly kelDesa: string;
  readonly kecamatan: string;
  readonly kabupatenKota: string;
  readonly provinsi: string;
  readonly religion: string;
  readonly maritalStatus: string;
  readonly occupation: string;
  readonly citizenship: string;
  /** "SEUMUR HIDUP" for citizens (UU 24/2013), else an ISO date. */
  readonly validUntil: string;
  readonly issuePlace: string;
  readonly issueDate: string;
}

/**
 * Everything read from one e-KTP chip. `photo`, `signature` and `fingers[].template` are personal
 * and biometric data (UU 27/2022 Pasal 4): they live in memory for one transaction only, are never
 * persisted, logged or published, and are zeroed by `wipeCardData` when the transaction ends.
 */
export interface CardData {
  /** Chip UID (hex), from PC/SC GET DATA; identifies the physical card in the custody ledger. */
  readonly cardUid: string;
  readonly biodata: Biodata;
  readonly photo: Uint8Array;
  readonly signature: Uint8Array;
  /** ISO/IEC 19794-2:2005 finger minutiae records, one per stored finger. */
  readonly fingers: ReadonlyArray<{ readonly position: FingerPosition; readonly template: Uint8Array }>;
  /** True when the SAM verified the data signature over everything above. */
  readonly signatureValid: boolean;
}

export function wipeCardData(card: CardData): void {
  card.photo.fill(0);
  card.signature.fill(0);
  for (const f of card.fingers) f.template.fill(0);
}

export type CardErrorCode =
  | 'READER_ABSENT'
  | 'SERVICE_UNAVAILABLE'
  | 'NO_CARD'
  | 'CARD_REMOVED'
  | 'TRANSMIT_FAILED'
  | 'BAD_STATUS_WORD'
  | 'SAM_ABSENT'
  | 'SAM_REFUSED'
  | 'AUTH_FAILED'
  | 'SIGNATURE_INVALID'
  | 'MALFORMED_DATA'
  | 'TIMEOUT'
  | 'CANCELED';

export class CardError extends DeviceError<CardErrorCode> {}

export type ReaderState = 'ok' | 'absent' | 'service_unavailable' | 'error';

export interface ReaderHealth {
  readonly reader: ReaderState;
  readonly sam: 'ok' | 'absent' | 'locked' | 'error';
  readonly cardPresent: boolean;
  /** Last error code seen, for the health topic and `doctor`. */
  readonly lastError?: CardErrorCode;
}

export interface CardReaderEvents {
  'card-inserted': [];
  'card-removed': [];
  /** Reader unplugged or pcscd gone: `health()` says which. */
  'reader-lost': [CardError];
  'reader-ready': [];
}

/**
 * The card reader with its SAM, as the counter sees it. Implemented by the PC/SC driver
 * (`pcsc.ts`) and by the simulator (`sim.ts`), chosen in config by `factory.ts`.
 *
 * All operations take an AbortSignal and reject with a `CardError`; a read never takes longer
 * than `timeoutMs`.
 */
export interface CardReader extends EventEmitter<CardReaderEvents> {
  open(): Promise<void>;
  close(): Promise<void>;
  health(): ReaderHealth;
  /** Resolves when a card is on the reader (at once if it already is). */
  waitForCard(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void>;
  /** Authenticates through the SAM, reads and verifies every file, resets the card afterwards. */
  readCard(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<CardData>;
}
