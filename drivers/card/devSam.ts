import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { decodeCommand, encodeCommand, encodeResponse, parseResponse } from './apdu.ts';
import {
  CHALLENGE_LENGTH,
  KEY_SEED_LENGTH,
  diversify,
  openCryptogram,
  openSession,
  sealCryptogram,
  type StaticKeys,
} from './mutualAuth.ts';
import type { Sam } from './sam.ts';
import type { SecureChannel } from './secureChannel.ts';
import { testIssuerKeys, testSamMasterKey } from './testKeys.ts';
import { CardError } from './types.ts';

export interface DevSamOptions {
  /** Defaults to the labelled test master key. */
  readonly masterKey?: Uint8Array;
  /** Defaults to the labelled test issuer key. */
  readonly issuerPublicKey?: KeyObject;
  /** Test control: refuse every request (a locked SAM, or one not unlocked for this institution). */
  readonly refuse?: boolean;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'challenged'; keys: StaticKeys; rndIcc: Uint8Array; rndIfd: Uint8Array; kIfd: Uint8Array }
  | { kind: 'secure'; channel: SecureChannel };

/**
 * DEVELOPMENT SAM WITH TEST KEYS. NOT FOR PRODUCTION.
 *
 * Runs in-process the same sequence a licensed SAM runs in its chip (3-key 3DES mutual
 * authentication, secure messaging, ECDSA P-256 data-signature verification), so the card
 * profile, the virtual cards and the tests exercise the real code path. Its keys are public.
 */
export class DevSam implements Sam {
  readonly #master: Uint8Array;
  readonly #issuer: KeyObject;
  #refuse: boolean;
  #open = false;
  #phase: Phase = { kind: 'idle' };

  constructor(opts: DevSamOptions = {}) {
    this.#master = (opts.masterKey ?? testSamMasterKey()).slice();
    this.#issuer = opts.issuerPublicKey ?? testIssuerKeys().publicKey;
    this.#refuse = opts.refuse ?? false;
  }

  /** Test control: make the SAM start or stop refusing. */
  setRefuse(refuse: boolean): void {
    this.#refuse = refuse;
  }

  #guard(step: string): void {
    if (this.#refuse) {
      throw new CardError('SAM_REFUSED', `development SAM refused ${step}`, { detail: { step } });
    }
    if (!this.#open) throw new CardError('SAM_ABSENT', 'development SAM is not open', { detail: { step } });
  }

  async open(): Promise<void> {
    if (this.#refuse) throw new CardError('SAM_REFUSED', 'development SAM refused to unlock', { detail: { step: 'open' } });
    this.#open = true;
  }

  async close(): Promise<void> {
    await this.endSession();
    this.#open = false;
  }

  async beginAuthentication(uid: Uint8Array, cardChallenge: Uint8Array) {
    this.#guard('begin-auth');
    if (cardChallenge.length !== CHALLENGE_LENGTH) {
      throw new CardError('MALFORMED_DATA', 'card challenge has the wrong length', { detail: { length: cardChallenge.length } });
    }
    const keys = diversify(this.#master, uid);
    const rndIfd = new Uint8Array(randomBytes(CHALLENGE_LENGTH));
    const kIfd = new Uint8Array(randomBytes(KEY_SEED_LENGTH));
    this.#phase = { kind: 'challenged', keys, rndIcc: cardChallenge.slice(), rndIfd, kIfd };
    return { externalAuthenticate: sealCryptogram(keys, rndIfd, cardChallenge, kIfd), internalChallenge: rndIfd.slice() };
  }

  async completeAuthentication(cardCryptogram: Uint8Array): Promise<void> {
    this.#guard('complete-auth');
    const phase = this.#phase;
    if (phase.kind !== 'challenged') throw new CardError('AUTH_FAILED', 'no authentication in progress');
    this.#phase = { kind: 'idle' };
    const parts = openCryptogram(phase.keys, cardCryptogram);
    if (!parts || !equal(parts.a, phase.rndIcc) || !equal(parts.b, phase.rndIfd)) {
      throw new CardError('AUTH_FAILED', 'card failed internal authentication', { detail: { step: 'internal-auth' } });
    }
    this.#phase = { kind: 'secure', channel: openSession(phase.kIfd, parts.k, phase.rndIcc, phase.rndIfd) };
  }

  #channel(step: string): SecureChannel {
    this.#guard(step);
    if (this.#phase.kind !== 'secure') throw new CardError('AUTH_FAILED', 'no secure messaging session', { detail: { step } });
    return this.#phase.channel;
  }

  async wrap(command: Uint8Array): Promise<Uint8Array> {
    const channel = this.#channel('wrap');
    const cmd = decodeCommand(command);
    return encodeCommand(channel.protectCommand(cmd), cmd.extended);
  }

  async unwrap(response: Uint8Array): Promise<Uint8Array> {
    return encodeResponse(this.#channel('unwrap').unprotectResponse(parseResponse(response)));
  }

  async verifyDataSignature(digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
    this.#guard('verify');
    try {
      return verify('sha256', digest, { key: this.#issuer, dsaEncoding: 'der' }, signature);
    } catch {
      // A signature that is not even DER is simply not valid.
      return false;
    }
  }

  async endSession(): Promise<void> {
    if (this.#phase.kind === 'secure') this.#phase.channel.destroy();
    this.#phase = { kind: 'idle' };
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
