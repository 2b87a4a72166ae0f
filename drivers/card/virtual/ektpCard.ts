import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { SW, decodeCommand, encodeResponse, type CommandApdu, type ResponseApdu } from '../apdu.ts';
import { buildCardFiles, signDigest, type Resident } from '../cardFiles.ts';
import {
  CHALLENGE_LENGTH,
  KEY_SEED_LENGTH,
  diversify,
  openCryptogram,
  openSession,
  sealCryptogram,
  type StaticKeys,
} from '../mutualAuth.ts';
import { DF_EKTP, EF, dataDigest, encodeFcp, encodeBiodata } from '../profile.ts';
import type { SecureChannel } from '../secureChannel.ts';
import { testIssuerKeys, testSamMasterKey } from '../testKeys.ts';

/** What can be wrong with a virtual card; each maps to one failure a counter meets. */
export interface CardFaults {
  /** Overwrite a file with bytes that are not valid TLV (a damaged chip) -> MALFORMED_DATA. */
  readonly damageFile?: keyof typeof EF;
  /** Change the NIK after signing (forged data) -> SIGNATURE_INVALID. */
  readonly forgeBiodata?: boolean;
  /** Sign with a key the SAM does not trust -> SIGNATURE_INVALID. */
  readonly foreignSigner?: boolean;
  /** Card keys not issued under the SAM master key (a fake card) -> AUTH_FAILED. */
  readonly wrongCardKey?: boolean;
  /** From the Nth APDU (1-based) on, answers are cut to `truncateTo` bytes -> MALFORMED_DATA. */
  readonly truncateFromApdu?: number;
  readonly truncateTo?: number;
  /** The card leaves the field after N APDUs (pulled mid-read) -> CARD_REMOVED. */
  readonly pullAfterApdus?: number;
  /** The card stops answering after N APDUs but stays in the field (a hung chip) -> TIMEOUT. */
  readonly stallAfterApdus?: number;
}

export interface VirtualCardSpec {
  readonly resident: Resident;
  /** Chip UID; default derived from the NIK so a resident always has the same card. */
  readonly uid?: Uint8Array;
  /** Default true. False: the card rejects extended APDUs (6700) like older chips. */
  readonly extendedLength?: boolean;
  /** Largest answer in one response; longer answers chain with 61xx / GET RESPONSE. Default 65536. */
  readonly maxResponse?: number;
  readonly faults?: CardFaults;
  /**
   * Fixed-size EFs: the biodata and minutiae files carry `slack` bytes of `fill` after their TLV,
   * as an issuer's card with pre-allocated files does (ISO/IEC 7816-4 §5.2 padding). Signed as
   * read. Not a fault: a correct reader must accept it.
   */
  readonly padding?: { readonly fill: 0x00 | 0xff; readonly slack: number };
}

/** What the card does with one APDU: answer it, or leave the field (the host sees the card gone). */
export type CardAction = { kind: 'answer'; bytes: Uint8Array } | { kind: 'pulled' } | { kind: 'stalled' };

export const VIRTUAL_ATR = Uint8Array.from([0x3b, 0x88, 0x80, 0x01, 0x45, 0x4b, 0x54, 0x50, 0x44, 0x45, 0x56, 0x31, 0x6b]);

type AuthState =
  | { kind: 'none' }
  | { kind: 'challenged'; rndIcc: Uint8Array }
  | { kind: 'external-ok'; rndIcc: Uint8Array; rndIfd: Uint8Array; kIfd: Uint8Array }
  | { kind: 'secure'; channel: SecureChannel };

/**
 * A development-profile e-KTP chip as an APDU state machine. Pure: no I/O, so it serves both the
 * in-process simulator and the vpcd socket (`vpcdCard.ts`). Unknown or malformed commands get the
 * status word a real card would give, never an exception.
 */
export class VirtualEktpCard {
  readonly uid: Uint8Array;
  readonly atr = VIRTUAL_ATR;
  readonly #files: Map<number, Uint8Array>;
  readonly #keys: StaticKeys;
  readonly #extended: boolean;
  readonly #maxResponse: number;
  readonly #faults: CardFaults;
  #dfSelected = false;
  #ef: number | undefined;
  #auth: AuthState = { kind: 'none' };
  #pending: Uint8Array | undefined;
  #apdus = 0;

  constructor(spec: VirtualCardSpec) {
    const f = spec.faults ?? {};
    this.#faults = f;
    this.uid = spec.uid?.slice() ?? new Uint8Array(createHash('sha256').update(`uid/${spec.resident.biodata.nik}`).digest().subarray(0, 7));
    this.#extended = spec.extendedLength ?? true;
    this.#maxResponse = spec.maxResponse ?? 65536;
    const signer = f.foreignSigner ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey : undefined;
    this.#files = buildCardFiles(spec.resident, signer);
    if (spec.padding) {
      const { fill, slack } = spec.padding;
      for (const fid of [EF.biodata, EF.minutiae1, EF.minutiae2]) {
        const content = this.#files.get(fid)!;
        const padded = new Uint8Array(content.length + slack).fill(fill);
        padded.set(content, 0);
        this.#files.set(fid, padded);
      }
      this.#files.set(EF.dataSignature, signDigest(dataDigest(this.#files), signer ?? testIssuerPrivate()));
    }
    if (f.forgeBiodata) {
      const b = spec.resident.biodata;
      const forged = { ...b, nik: b.nik.slice(0, 15) + String((Number(b.nik[15]) + 1) % 10) };
      this.#files.set(EF.biodata, encodeBiodata(forged));
    }
    if (f.damageFile) {
      const fid = EF[f.damageFile];
      this.#files.set(fid, Uint8Array.from([0x61, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00]));
      // Re-sign so the damage is a structural one, not a signature one.
      if (!f.forgeBiodata && fid !== EF.dataSignature) {
        this.#files.set(EF.dataSignature, signDigest(dataDigest(this.#files), signer ?? testIssuerPrivate()));
      }
    }
    const master = f.wrongCardKey ? new Uint8Array(randomBytes(24)) : testSamMasterKey();
    this.#keys = diversify(master, this.uid);
  }

  get apduCount(): number {
    return this.#apdus;
  }

  /** Power-on or warm reset: the chip forgets selection and session (ISO 7816-3). */
  reset(): void {
    this.#dfSelected = false;
    this.#ef = undefined;
    if (this.#auth.kind === 'secure') this.#auth.channel.destroy();
    this.#auth = { kind: 'none' };
    this.#pending = undefined;
  }

  handle(apdu: Uint8Array): CardAction {
    this.#apdus++;
    const f = this.#faults;
    if (f.pullAfterApdus !== undefined && this.#apdus > f.pullAfterApdus) return { kind: 'pulled' };
    if (f.stallAfterApdus !== undefined && this.#apdus > f.stallAfterApdus) return { kind: 'stalled' };
    let bytes = encodeResponse(this.#dispatch(apdu));
    if (f.truncateFromApdu !== undefined && this.#apdus >= f.truncateFromApdu) bytes = bytes.slice(0, f.truncateTo ?? 1);
    return { kind: 'answer', bytes };
  }

  #dispatch(apdu: Uint8Array): ResponseApdu {
    let cmd: CommandApdu & { extended: boolean };
    try {
      cmd = decodeCommand(apdu);
    } catch {
      return sw(SW.WRONG_LENGTH);
    }
    if (cmd.extended && !this.#extended) return sw(SW.WRONG_LENGTH);
    if (cmd.ins !== 0xc0) this.#pending = undefined;
    if (cmd.cla === 0xff && cmd.ins === 0xca) return this.#chain({ data: this.uid.slice(), sw: SW.OK }, cmd.le);
    if (cmd.cla === 0x00 && cmd.ins === 0xc0) return this.#getResponse(cmd.le ?? 256);
    if (this.#auth.kind === 'secure' && (cmd.cla & 0x0c) === 0x0c) return this.#secure(cmd);
    if (cmd.cla !== 0x00) return sw(SW.CLA_NOT_SUPPORTED);
    switch (cmd.ins) {
      case 0xa4:
        if (cmd.p1 === 0x01 && cmd.data?.length === 2 && ((cmd.data[0] << 8) | cmd.data[1]) === DF_EKTP) {
          this.reset();
          this.#dfSelected = true;
          return sw(SW.OK);
        }
        // EF selection and everything after authentication needs secure messaging.
        return sw(this.#dfSelected ? SW.SECURITY_NOT_SATISFIED : SW.FILE_NOT_FOUND);
      case 0x84:
        return this.#getChallenge(cmd);
      case 0x82:
        return this.#externalAuthenticate(cmd);
      case 0x88:
        return this.#internalAuthenticate(cmd);
      case 0xb0:
        return sw(SW.SECURITY_NOT_SATISFIED);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  #getChallenge(cmd: CommandApdu): ResponseApdu {
    if (!this.#dfSelected) return sw(SW.CONDITIONS_NOT_SATISFIED);
    if (cmd.le !== CHALLENGE_LENGTH) return sw(SW.WRONG_LENGTH);
    const rndIcc = new Uint8Array(randomBytes(CHALLENGE_LENGTH));
    this.#auth = { kind: 'challenged', rndIcc };
    return { data: rndIcc.slice(), sw: SW.OK };
  }

  #externalAuthenticate(cmd: CommandApdu): ResponseApdu {
    const auth = this.#auth;
    this.#auth = { kind: 'none' };
    if (auth.kind !== 'challenged') return sw(SW.CONDITIONS_NOT_SATISFIED);
    const parts = cmd.data ? openCryptogram(this.#keys, cmd.data) : null;
    if (!parts || !equal(parts.b, auth.rndIcc)) return sw(SW.AUTH_FAILED);
    this.#auth = { kind: 'external-ok', rndIcc: auth.rndIcc, rndIfd: parts.a, kIfd: parts.k };
    return sw(SW.OK);
  }

  #internalAuthenticate(cmd: CommandApdu): ResponseApdu {
    const auth = this.#auth;
    if (auth.kind !== 'external-ok') return sw(SW.SECURITY_NOT_SATISFIED);
    if (!cmd.data || !equal(cmd.data, auth.rndIfd)) {
      this.#auth = { kind: 'none' };
      return sw(SW.WRONG_DATA);
    }
    const kIcc = new Uint8Array(randomBytes(KEY_SEED_LENGTH));
    const cryptogram = sealCryptogram(this.#keys, auth.rndIcc, auth.rndIfd, kIcc);
    this.#auth = { kind: 'secure', channel: openSession(auth.kIfd, kIcc, auth.rndIcc, auth.rndIfd) };
    return this.#chain({ data: cryptogram, sw: SW.OK }, cmd.le);
  }

  #secure(cmd: CommandApdu): ResponseApdu {
    if (this.#auth.kind !== 'secure') return sw(SW.SM_MISSING);
    const channel = this.#auth.channel;
    const inner = channel.unprotectCommand(cmd);
    if ('sw' in inner) {
      // ISO 7816-4: an SM error ends the session; the host must authenticate again.
      channel.destroy();
      this.#auth = { kind: 'none' };
      return sw(inner.sw);
    }
    const plain = this.#securedCommand(inner);
    return this.#chain(channel.protectResponse(plain), cmd.le);
  }

  #securedCommand(cmd: CommandApdu): ResponseApdu {
    switch (cmd.ins) {
      case 0xa4: {
        if (cmd.p1 !== 0x02 || cmd.data?.length !== 2) return sw(SW.WRONG_P1P2);
        const fid = (cmd.data[0] << 8) | cmd.data[1];
        const content = this.#files.get(fid);
        if (!content) return sw(SW.FILE_NOT_FOUND);
        this.#ef = fid;
        return cmd.p2 === 0x04 ? { data: encodeFcp(fid, content.length), sw: SW.OK } : sw(SW.OK);
      }
      case 0xb0: {
        if (this.#ef === undefined) return sw(SW.CONDITIONS_NOT_SATISFIED);
        if (cmd.p1 & 0x80) return sw(SW.WRONG_P1P2);
        const content = this.#files.get(this.#ef)!;
        const offset = (cmd.p1 << 8) | cmd.p2;
        if (offset >= content.length) return sw(SW.WRONG_P1P2);
        const le = cmd.le ?? 256;
        const data = content.slice(offset, offset + le);
        return { data, sw: data.length < le ? 0x6282 : SW.OK };
      }
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  /** Serves at most min(Le, maxResponse) bytes now and the rest through GET RESPONSE (61xx). */
  #chain(resp: ResponseApdu, le: number | undefined): ResponseApdu {
    const limit = Math.min(le ?? 256, this.#maxResponse);
    if (resp.data.length <= limit) return resp;
    const rest = encodeResponse({ data: resp.data.subarray(limit), sw: resp.sw });
    this.#pending = rest;
    return { data: resp.data.slice(0, limit), sw: 0x6100 | Math.min(rest.length - 2, 0xff) };
  }

  #getResponse(le: number): ResponseApdu {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending) return sw(SW.CONDITIONS_NOT_SATISFIED);
    const data = pending.subarray(0, pending.length - 2);
    const status = (pending[pending.length - 2] << 8) | pending[pending.length - 1];
    return this.#chain({ data, sw: status }, le);
  }
}

function sw(code: number): ResponseApdu {
  return { data: new Uint8Array(0), sw: code };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function testIssuerPrivate() {
  return testIssuerKeys().privateKey;
}
