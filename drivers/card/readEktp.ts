import { SW, decodeCommand, encodeCommand, encodeResponse, expectOk, parseResponse, swHex, transceive } from './apdu.ts';
import type { ApduTransport, CommandApdu, ResponseApdu } from './apdu.ts';
import { SM_OVERHEAD } from './secureChannel.ts';
import { CRYPTOGRAM_LENGTH, CHALLENGE_LENGTH } from './mutualAuth.ts';
import { DF_EKTP, EF, dataDigest, decodeBiodata, decodeFcpSize, decodeFinger } from './profile.ts';
import type { Sam } from './sam.ts';
import { CardError, type CardData } from './types.ts';

export interface ReadEktpOptions {
  /** Use extended-length APDUs (reader and card must both support them). */
  readonly extendedLength: boolean;
  /** Plain bytes per READ BINARY; defaults to 4096 extended, 230 short (fits one short response after SM). */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  /** Counts every APDU sent to the card, for the benchmark. */
  readonly onApdu?: () => void;
}

/** 256 minus the secure-messaging overhead: one short response per block. */
export const SHORT_CHUNK = 256 - SM_OVERHEAD;
const FCP_LE = 64;
export const EXTENDED_CHUNK = 4096;

const READ_ORDER = [EF.biodata, EF.photo, EF.signature, EF.minutiae1, EF.minutiae2, EF.dataSignature] as const;

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** Maps status words that mean "the card does not trust us" to AUTH_FAILED. */
function failOnStatus(resp: ResponseApdu, step: string): Uint8Array {
  if (resp.sw === SW.AUTH_FAILED || (resp.sw & 0xfff0) === 0x63c0 || resp.sw === SW.SECURITY_NOT_SATISFIED ||
      resp.sw === SW.AUTH_METHOD_BLOCKED || resp.sw === SW.SM_MISSING || resp.sw === SW.SM_INCORRECT) {
    throw new CardError('AUTH_FAILED', `${step}: card refused authentication (${swHex(resp.sw)})`, {
      detail: { step, sw: swHex(resp.sw) },
    });
  }
  return expectOk(resp, step);
}

/**
 * The e-KTP read sequence of our development profile (README "APDU sequence"): UID, SELECT DF
 * 7F0A, mutual authentication through the SAM, then every EF selected and read under secure
 * messaging, decoded, and the data signature verified by the SAM. Everything read is zeroed
 * again if the read fails, so a half-read card leaves no biometric data behind.
 */
export async function readEktp(card: ApduTransport, sam: Sam, opts: ReadEktpOptions): Promise<CardData> {
  const { signal, extendedLength } = opts;
  const chunk = opts.chunkSize ?? (extendedLength ? EXTENDED_CHUNK : SHORT_CHUNK);
  const counted: ApduTransport = {
    transmit(apdu, s) {
      signal?.throwIfAborted();
      opts.onApdu?.();
      return card.transmit(apdu, s);
    },
  };
  const plain = (cmd: CommandApdu) => transceive(counted, cmd, { signal });
  const secure = async (cmd: CommandApdu): Promise<ResponseApdu> => {
    const wrapped = decodeCommand(await sam.wrap(encodeCommand(cmd), signal));
    const resp = await transceive(counted, wrapped, { extended: wrapped.extended || undefined, signal });
    return parseResponse(await sam.unwrap(encodeResponse(resp), signal));
  };

  const files = new Map<number, Uint8Array>();
  try {
    const uid = expectOk(await plain({ cla: 0xff, ins: 0xca, p1: 0, p2: 0, le: 256 }), 'get-uid');
    if (uid.length < 4 || uid.length > 10) throw new CardError('MALFORMED_DATA', 'UID length out of range', { detail: { length: uid.length } });
    expectOk(await plain({ cla: 0, ins: 0xa4, p1: 0x01, p2: 0x0c, data: u16(DF_EKTP) }), 'select-df');

    const challenge = expectOk(await plain({ cla: 0, ins: 0x84, p1: 0, p2: 0, le: CHALLENGE_LENGTH }), 'get-challenge');
    if (challenge.length !== CHALLENGE_LENGTH) throw new CardError('MALFORMED_DATA', 'challenge has the wrong length');
    const auth = await sam.beginAuthentication(uid, challenge, signal);
    failOnStatus(await plain({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: auth.externalAuthenticate }), 'external-auth');
    const cryptogram = failOnStatus(
      await plain({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: auth.internalChallenge, le: CRYPTOGRAM_LENGTH }),
      'internal-auth',
    );
    await sam.completeAuthentication(cryptogram, signal);

    for (const fid of READ_ORDER) files.set(fid, await readFile(secure, fid, chunk));

    const biodata = decodeBiodata(files.get(EF.biodata)!);
    const fingers = [decodeFinger(files.get(EF.minutiae1)!), decodeFinger(files.get(EF.minutiae2)!)];
    if (fingers[0].position === fingers[1].position) {
      throw new CardError('MALFORMED_DATA', 'both minutiae files name the same finger');
    }
    const valid = await sam.verifyDataSignature(dataDigest(files), files.get(EF.dataSignature)!, signal);
    if (!valid) throw new CardError('SIGNATURE_INVALID', 'the SAM rejected the data signature');
    return {
      cardUid: toHex(uid),
      biodata,
      photo: files.get(EF.photo)!,
      signature: files.get(EF.signature)!,
      fingers,
      signatureValid: true,
    };
  } catch (err) {
    for (const f of files.values()) f.fill(0);
    throw err;
  } finally {
    await sam.endSession();
  }
}

function u16(n: number): Uint8Array {
  return Uint8Array.of(n >> 8, n & 0xff);
}

async function readFile(
  secure: (cmd: CommandApdu) => Promise<ResponseApdu>,
  fid: number,
  chunk: number,
): Promise<Uint8Array> {
  const step = `select-${fid.toString(16)}`;
  const size = decodeFcpSize(failOnStatus(await secure({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x04, data: u16(fid), le: FCP_LE }), step));
  const out = new Uint8Array(size);
  let offset = 0;
  try {
    while (offset < size) {
      const want = Math.min(chunk, size - offset);
      const resp = await secure({ cla: 0, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le: want });
      // 6282: end of file before Le bytes; the data is still good, the length check below decides.
      const data = resp.sw === 0x6282 ? resp.data : failOnStatus(resp, `read-${fid.toString(16)}`);
      if (data.length === 0 || data.length > want) {
        throw new CardError('MALFORMED_DATA', 'READ BINARY returned an unexpected length', {
          detail: { fid: fid.toString(16), offset, want, got: data.length },
        });
      }
      out.set(data, offset);
      data.fill(0);
      offset += data.length;
    }
  } catch (err) {
    out.fill(0);
    throw err;
  }
  return out;
}
