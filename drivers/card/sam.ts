/**
 * The Secure Access Module as the card profile uses it. A licensed Dukcapil SAM (a contact chip in
 * the reader's SAM slot, driven by the vendor's module) implements this interface; so does the
 * development SAM (`devSam.ts`, TEST KEYS, NOT FOR PRODUCTION). All secrets stay behind it: the
 * host only ever sees challenges, cryptograms and secure-messaging APDUs.
 *
 * Every method rejects with a `CardError`: SAM_ABSENT (no SAM), SAM_REFUSED (the SAM declines,
 * e.g. locked or not unlocked for this institution), AUTH_FAILED (the card's cryptogram is wrong).
 */
export interface Sam {
  /** Unlocks the SAM for this session. */
  open(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
  /**
   * Step 1 of mutual authentication: from the chip UID and the card's GET CHALLENGE answer, the
   * SAM proves itself to the card (EXTERNAL AUTHENTICATE data) and picks the challenge the card
   * must answer (INTERNAL AUTHENTICATE data).
   */
  beginAuthentication(
    uid: Uint8Array,
    cardChallenge: Uint8Array,
    signal?: AbortSignal,
  ): Promise<{ externalAuthenticate: Uint8Array; internalChallenge: Uint8Array }>;
  /** Step 2: checks the card's INTERNAL AUTHENTICATE answer and opens secure messaging. */
  completeAuthentication(cardCryptogram: Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Turns a plain command APDU into its secure-messaging form. */
  wrap(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** Checks and decrypts a secure-messaging response; returns the plain response (data + SW). */
  unwrap(response: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** Verifies the issuer's data signature over the digest of the signed files. */
  verifyDataSignature(digest: Uint8Array, signature: Uint8Array, signal?: AbortSignal): Promise<boolean>;
  /** Ends the card session and forgets its keys (always called, even after a failure). */
  endSession(): Promise<void>;
}
