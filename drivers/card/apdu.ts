import { CardError } from './types.ts';

/** ISO/IEC 7816-4 command APDU. `le` is the expected response length, 1..65536; absent means none. */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  readonly le?: number;
}

export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw: number;
}

export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  SM_MISSING: 0x6987,
  SM_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  AUTH_FAILED: 0x6300,
  MEMORY_FAILURE: 0x6581,
} as const;

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0').toUpperCase();
}

function malformed(message: string, detail: Record<string, unknown> = {}): CardError {
  return new CardError('MALFORMED_DATA', message, { detail });
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name} must be a byte, got ${v}`);
}

/**
 * Encodes the four ISO 7816-4 cases, switching to extended length only when Lc > 255 or Le > 256
 * (or when `forceExtended`), because many readers and cards still reject extended APDUs.
 */
export function encodeCommand(cmd: CommandApdu, forceExtended = false): Uint8Array {
  checkByte('cla', cmd.cla);
  checkByte('ins', cmd.ins);
  checkByte('p1', cmd.p1);
  checkByte('p2', cmd.p2);
  const data = cmd.data ?? new Uint8Array(0);
  if (data.length > 65535) throw new RangeError('command data longer than 65535 bytes');
  if (cmd.le !== undefined && (!Number.isInteger(cmd.le) || cmd.le < 1 || cmd.le > 65536)) {
    throw new RangeError(`le must be 1..65536, got ${cmd.le}`);
  }
  const extended = forceExtended || data.length > 255 || (cmd.le ?? 0) > 256;
  const out: number[] = [cmd.cla, cmd.ins, cmd.p1, cmd.p2];
  if (!extended) {
    if (data.length > 0) out.push(data.length, ...data);
    if (cmd.le !== undefined) out.push(cmd.le & 0xff);
    return Uint8Array.from(out);
  }
  if (data.length > 0) {
    out.push(0x00, data.length >> 8, data.length & 0xff);
    const head = Uint8Array.from(out);
    const le = cmd.le === undefined ? [] : [(cmd.le >> 8) & 0xff, cmd.le & 0xff];
    const buf = new Uint8Array(head.length + data.length + le.length);
    buf.set(head, 0);
    buf.set(data, head.length);
    buf.set(le, head.length + data.length);
    return buf;
  }
  if (cmd.le !== undefined) out.push(0x00, (cmd.le >> 8) & 0xff, cmd.le & 0xff);
  return Uint8Array.from(out);
}

/** Parses a command APDU (the card side). Throws MALFORMED_DATA on any length inconsistency. */
export function decodeCommand(bytes: Uint8Array): CommandApdu & { readonly extended: boolean } {
  if (bytes.length < 4) throw malformed('command APDU shorter than its header', { length: bytes.length });
  const [cla, ins, p1, p2] = bytes;
  const body = bytes.subarray(4);
  if (body.length === 0) return { cla, ins, p1, p2, extended: false };
  if (body.length === 1) return { cla, ins, p1, p2, le: body[0] === 0 ? 256 : body[0], extended: false };
  if (body[0] !== 0) {
    const lc = body[0];
    if (body.length === 1 + lc) return { cla, ins, p1, p2, data: body.slice(1), extended: false };
    if (body.length === 2 + lc) {
      const le = body[1 + lc];
      return { cla, ins, p1, p2, data: body.slice(1, 1 + lc), le: le === 0 ? 256 : le, extended: false };
    }
    throw malformed('short APDU length does not match Lc', { lc, length: bytes.length });
  }
  if (body.length === 3) {
    const le = (body[1] << 8) | body[2];
    return { cla, ins, p1, p2, le: le === 0 ? 65536 : le, extended: true };
  }
  if (body.length < 3) throw malformed('truncated extended APDU', { length: bytes.length });
  const lc = (body[1] << 8) | body[2];
  if (lc === 0) throw malformed('extended APDU with Lc 0', { length: bytes.length });
  if (body.length === 3 + lc) return { cla, ins, p1, p2, data: body.slice(3), extended: true };
  if (body.length === 5 + lc) {
    const le = (body[3 + lc] << 8) | body[4 + lc];
    return { cla, ins, p1, p2, data: body.slice(3, 3 + lc), le: le === 0 ? 65536 : le, extended: true };
  }
  throw malformed('extended APDU length does not match Lc', { lc, length: bytes.length });
}

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw malformed('response APDU shorter than a status word', { length: bytes.length });
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2] << 8) | bytes[n - 1] };
}

export function encodeResponse(resp: ResponseApdu): Uint8Array {
  const out = new Uint8Array(resp.data.length + 2);
  out.set(resp.data, 0);
  out[resp.data.length] = resp.sw >> 8;
  out[resp.data.length + 1] = resp.sw & 0xff;
  return out;
}

/** Sends raw APDU bytes and returns raw response bytes: a PC/SC reader, a vpcd card, a SAM. */
export interface ApduTransport {
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
}

const MAX_CHAIN = 512;

/**
 * Sends one command and follows the ISO 7816-4 transport-level replies: `6Cxx` (wrong Le, resend
 * with Le=xx) and `61xx` (more data, fetch with GET RESPONSE until done). Both appear on T=0
 * readers and on cards whose buffers are smaller than the requested block.
 */
export async function transceive(
  transport: ApduTransport,
  cmd: CommandApdu,
  opts: { extended?: boolean; signal?: AbortSignal } = {},
): Promise<ResponseApdu> {
  let resp = parseResponse(await transport.transmit(encodeCommand(cmd, opts.extended), opts.signal));
  if (resp.sw >> 8 === 0x6c) {
    const le = resp.sw & 0xff || 256;
    resp = parseResponse(await transport.transmit(encodeCommand({ ...cmd, le }, opts.extended), opts.signal));
  }
  if (resp.sw >> 8 !== 0x61) return resp;
  const parts: Uint8Array[] = [resp.data];
  let total = resp.data.length;
  for (let i = 0; resp.sw >> 8 === 0x61; i++) {
    if (i >= MAX_CHAIN) throw malformed('GET RESPONSE chain does not end', { links: i });
    const le = resp.sw & 0xff || 256;
    resp = parseResponse(
      await transport.transmit(encodeCommand({ cla: cmd.cla & 0x03, ins: 0xc0, p1: 0, p2: 0, le }), opts.signal),
    );
    parts.push(resp.data);
    total += resp.data.length;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { data, sw: resp.sw };
}

export function expectOk(resp: ResponseApdu, step: string): Uint8Array {
  if (resp.sw !== SW.OK) {
    throw new CardError('BAD_STATUS_WORD', `${step}: card answered ${swHex(resp.sw)}`, {
      detail: { step, sw: swHex(resp.sw) },
    });
  }
  return resp.data;
}
