import { Socket } from 'node:net';
import type { CardAction } from '../../../drivers/card/virtual/ektpCard.ts';

/** Anything that answers APDUs like a chip: the virtual e-KTP, the virtual SAM. */
export interface VirtualChip {
  readonly atr: Uint8Array;
  reset(): void;
  handle(apdu: Uint8Array): CardAction;
}

/** vpcd control messages (vsmartcard "Creating a virtual smart card": 1-byte payloads). */
const CTRL_OFF = 0x00;
const CTRL_ON = 0x01;
const CTRL_RESET = 0x02;
const CTRL_ATR = 0x04;

/**
 * Puts a virtual chip into a vpcd reader slot. vpcd (the pcscd driver) listens on a TCP port per
 * slot; a connected client is a card in the field, a closed socket is the card taken away. vpcd
 * sends 2-byte big-endian length-prefixed messages: length 1 is a control byte (power off/on,
 * reset: no answer; get ATR: answer the ATR), anything else is an APDU to answer.
 */
export class VpcdCard {
  readonly #host: string;
  readonly #port: number;
  #chip: VirtualChip | undefined;
  #socket: Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #apdus = 0;

  constructor(opts: { port: number; host?: string }) {
    this.#host = opts.host ?? '127.0.0.1';
    this.#port = opts.port;
  }

  get inserted(): boolean {
    return this.#socket !== undefined;
  }

  /**
   * APDUs vpcd has sent to the chips of this slot so far. Only vpcd, inside pcscd, talks to this
   * socket, so a count that grows proves commands went through pcscd to the card.
   */
  get apdus(): number {
    return this.#apdus;
  }

  /** Connects to vpcd: pcscd then sees a card in this slot. Resolves once connected. */
  insert(chip: VirtualChip, opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#socket) return Promise.reject(new Error('a card is already inserted in this vpcd slot'));
    this.#chip = chip;
    const deadline = Date.now() + (opts.timeoutMs ?? 5000);
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const socket = new Socket();
        socket.setNoDelay(true);
        const onError = (err: Error) => {
          socket.destroy();
          // vpcd opens its port a moment after pcscd starts; retry until the deadline.
          if (Date.now() < deadline) setTimeout(attempt, 50);
          else reject(err);
        };
        socket.once('error', onError);
        socket.connect(this.#port, this.#host, () => {
          socket.off('error', onError);
          socket.on('error', () => this.#drop(socket));
          socket.on('close', () => this.#drop(socket));
          socket.on('data', (d) => this.#onData(socket, d));
          this.#socket = socket;
          this.#buffer = Buffer.alloc(0);
          chip.reset();
          resolve();
        });
      };
      attempt();
    });
  }

  /** Takes the card away (closes the socket); resolves once the socket is closed. */
  async remove(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = undefined;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  #drop(socket: Socket): void {
    if (this.#socket === socket) this.#socket = undefined;
  }

  #onData(socket: Socket, data: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    while (this.#buffer.length >= 2 && this.#socket === socket) {
      const len = this.#buffer.readUInt16BE(0);
      if (this.#buffer.length < 2 + len) return;
      const payload = this.#buffer.subarray(2, 2 + len);
      this.#buffer = this.#buffer.subarray(2 + len);
      this.#message(socket, new Uint8Array(payload));
    }
  }

  #message(socket: Socket, payload: Uint8Array): void {
    const chip = this.#chip!;
    if (payload.length === 1) {
      switch (payload[0]) {
        case CTRL_OFF:
        case CTRL_ON:
        case CTRL_RESET:
          chip.reset();
          return;
        case CTRL_ATR:
          this.#send(socket, chip.atr);
          return;
        default:
          return;
      }
    }
    this.#apdus += 1;
    const action = chip.handle(payload);
    if (action.kind === 'stalled') return;
    if (action.kind === 'pulled') {
      // The chip left the field in the middle of a command: no answer, socket gone.
      this.#socket = undefined;
      socket.destroy();
      return;
    }
    this.#send(socket, action.bytes);
  }

  #send(socket: Socket, payload: Uint8Array): void {
    // One write per message: with TCP_NODELAY a split header and body would cost two segments.
    const frame = Buffer.allocUnsafe(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }
}
