import type { CommandApdu, ResponseApdu } from './apdu.ts';
import { SW } from './apdu.ts';
import { decrypt, encrypt, mac, macEquals, pad, unpad } from './smCrypto.ts';
import { concatBytes, encodeTlv, parseTlvs } from './tlv.ts';
import { CardError } from './types.ts';

/**
 * ISO/IEC 7816-4 secure messaging as our development profile uses it (the layout of ICAO 9303
 * SM with 3-key 3DES): command data in DO'87', expected length in DO'97', status in DO'99', and a
 * MAC in DO'8E' over the send sequence counter, the header and the data objects. One instance per
 * authenticated session; the terminal side (inside the SAM) and the card side each hold one and
 * step the counter in lockstep, so a replayed or reordered APDU fails the MAC check.
 */
/** Worst-case growth of a response under secure messaging. */
export const SM_OVERHEAD = 26;

export class SecureChannel {
  readonly #kEnc: Uint8Array;
  readonly #kMac: Uint8Array;
  readonly #ssc: Uint8Array;

  constructor(kEnc: Uint8Array, kMac: Uint8Array, ssc: Uint8Array) {
    if (ssc.length !== 8) throw new RangeError('SSC must be 8 bytes');
    this.#kEnc = kEnc.slice();
    this.#kMac = kMac.slice();
    this.#ssc = ssc.slice();
  }

  #step(): Uint8Array {
    for (let i = 7; i >= 0; i--) {
      this.#ssc[i] = (this.#ssc[i] + 1) & 0xff;
      if (this.#ssc[i] !== 0) break;
    }
    return this.#ssc.slice();
  }

  /** Terminal side: plain command -> protected command. */
  protectCommand(cmd: CommandApdu): CommandApdu {
    const ssc = this.#step();
    const cla = cmd.cla | 0x0c;
    const header = Uint8Array.of(cla, cmd.ins, cmd.p1, cmd.p2);
    const dos: Uint8Array[] = [];
    if (cmd.data && cmd.data.length > 0) {
      dos.push(encodeTlv(0x87, concatBytes([Uint8Array.of(0x01), encrypt(this.#kEnc, pad(cmd.data))])));
    }
    if (cmd.le !== undefined) {
      const le = cmd.le > 256 ? Uint8Array.of((cmd.le >> 8) & 0xff, cmd.le & 0xff) : Uint8Array.of(cmd.le & 0xff);
      dos.push(encodeTlv(0x97, le));
    }
    const m = mac(this.#kMac, concatBytes([ssc, pad(header), ...dos]));
    const data = concatBytes([...dos, encodeTlv(0x8e, m)]);
    // The protected response is at most 26 bytes larger than the plain one (DO'87' framing,
    // padding, DO'99', MAC); ask for an extended answer only when a short one cannot hold it.
    const le = cmd.le === undefined || cmd.le + SM_OVERHEAD <= 256 ? 256 : 65536;
    return { cla, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data, le };
  }

  /** Terminal side: protected response -> plain response. MAC and framing errors are MALFORMED_DATA. */
  unprotectResponse(resp: ResponseApdu): ResponseApdu {
    const ssc = this.#step();
    if (resp.sw !== SW.OK) {
      // The card answers SM errors (and anything before it could build a MAC) in plain.
      return resp;
    }
    const dos = parseTlvs(resp.data);
    const d87 = dos.find((d) => d.tag === 0x87);
    const d99 = dos.find((d) => d.tag === 0x99);
    const d8e = dos.find((d) => d.tag === 0x8e);
    if (!d99 || d99.value.length !== 2 || !d8e) {
      throw new CardError('MALFORMED_DATA', 'secure messaging response lacks DO99 or DO8E', { detail: { step: 'sm' } });
    }
    const macInput = concatBytes([ssc, ...(d87 ? [encodeTlv(0x87, d87.value)] : []), encodeTlv(0x99, d99.value)]);
    if (!macEquals(mac(this.#kMac, macInput), d8e.value)) {
      throw new CardError('MALFORMED_DATA', 'secure messaging MAC mismatch', { detail: { step: 'sm-mac' } });
    }
    let data: Uint8Array = new Uint8Array(0);
    if (d87) {
      if (d87.value.length < 9 || d87.value[0] !== 0x01) {
        throw new CardError('MALFORMED_DATA', 'bad DO87 in response', { detail: { step: 'sm' } });
      }
      data = unpad(decrypt(this.#kEnc, d87.value.subarray(1)));
    }
    return { data, sw: (d99.value[0] << 8) | d99.value[1] };
  }

  /**
   * Card side: protected command -> plain command, or a status word to answer in plain.
   * The counter steps even on failure so the terminal, which also stepped, stays in sync.
   */
  unprotectCommand(cmd: CommandApdu): CommandApdu | { sw: number } {
    const ssc = this.#step();
    if ((cmd.cla & 0x0c) !== 0x0c || !cmd.data) return { sw: SW.SM_MISSING };
    let dos;
    try {
      dos = parseTlvs(cmd.data);
    } catch {
      return { sw: SW.SM_INCORRECT };
    }
    const d87 = dos.find((d) => d.tag === 0x87);
    const d97 = dos.find((d) => d.tag === 0x97);
    const d8e = dos.find((d) => d.tag === 0x8e);
    if (!d8e) return { sw: SW.SM_MISSING };
    const header = Uint8Array.of(cmd.cla, cmd.ins, cmd.p1, cmd.p2);
    const macInput = concatBytes([
      ssc,
      pad(header),
      ...(d87 ? [encodeTlv(0x87, d87.value)] : []),
      ...(d97 ? [encodeTlv(0x97, d97.value)] : []),
    ]);
    if (!macEquals(mac(this.#kMac, macInput), d8e.value)) return { sw: SW.SM_INCORRECT };
    let data: Uint8Array | undefined;
    if (d87) {
      try {
        if (d87.value[0] !== 0x01) return { sw: SW.SM_INCORRECT };
        data = unpad(decrypt(this.#kEnc, d87.value.subarray(1)));
      } catch {
        return { sw: SW.SM_INCORRECT };
      }
    }
    let le: number | undefined;
    if (d97) {
      if (d97.value.length === 1) le = d97.value[0] === 0 ? 256 : d97.value[0];
      else if (d97.value.length === 2) le = ((d97.value[0] << 8) | d97.value[1]) || 65536;
      else return { sw: SW.SM_INCORRECT };
    }
    return { cla: cmd.cla & ~0x0c, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data, le };
  }

  /** Card side: plain response -> protected response data (answered with 9000). */
  protectResponse(resp: ResponseApdu): ResponseApdu {
    const ssc = this.#step();
    const d87 = resp.data.length > 0 ? [encodeTlv(0x87, concatBytes([Uint8Array.of(0x01), encrypt(this.#kEnc, pad(resp.data))]))] : [];
    const d99 = encodeTlv(0x99, Uint8Array.of(resp.sw >> 8, resp.sw & 0xff));
    const m = mac(this.#kMac, concatBytes([ssc, ...d87, d99]));
    return { data: concatBytes([...d87, d99, encodeTlv(0x8e, m)]), sw: SW.OK };
  }

  /** Zeroes the session keys; the channel is unusable afterwards. */
  destroy(): void {
    this.#kEnc.fill(0);
    this.#kMac.fill(0);
  }
}
