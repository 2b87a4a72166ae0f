import { createServer, type Socket } from 'node:net';
import { EscPosDecoder, decodedText, type DecodedDoc, type EmulatorState } from './decoder.ts';
import { writeDocPng } from './render.ts';

export type { DecodedDoc, DecodedLine, EmulatorState } from './decoder.ts';

export interface PrinterEmulator {
  readonly host: string;
  readonly port: number;
  readonly columns: number;
  setState(patch: Partial<EmulatorState>): void;
  state(): EmulatorState;
  /** The roll ends after `lines` more printed lines; the slip in progress is cut short. */
  paperOutAfterLines(lines: number): void;
  /** Every piece of paper so far: one per cut, plus any slip cut short by paper out. */
  documents(): DecodedDoc[];
  /** Same as documents(). */
  docs(): DecodedDoc[];
  /** A document as text lines, comparable with layout.ts renderText. */
  textOf(doc: DecodedDoc): string[];
  renderPng(doc: DecodedDoc, path: string): Promise<void>;
  /**
   * Serves the same printer over another byte stream as well, e.g. one end of a pty pair, to
   * test the serial transport. Returns a function that detaches it.
   */
  attach(stream: NodeJS.ReadWriteStream): () => void;
  /** ESC/POS commands the emulator did not understand (a test should expect none). */
  unknownCommands(): string[];
  /** Stops listening and drops every connection, like pulling the printer's cable. */
  close(): Promise<void>;
}

/**
 * A network ESC/POS printer on TCP (port 9100 on real ones; 0 picks a free port for tests). One
 * printer state is shared by all connections, as with a real printer.
 */
export async function startPrinterEmulator(opts: { port?: number; host?: string; columns?: number } = {}): Promise<PrinterEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const columns = opts.columns ?? 48;
  const decoder = new EscPosDecoder();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      const reply = decoder.feed(chunk);
      if (reply.length > 0) socket.write(reply);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed: Promise<void> | null = null;
  return {
    host,
    port,
    columns,
    setState: (patch) => {
      decoder.state = { ...decoder.state, ...patch };
    },
    state: () => ({ ...decoder.state }),
    paperOutAfterLines: (lines) => decoder.paperOutAfterLines(lines),
    documents: () => [...decoder.docs],
    docs: () => [...decoder.docs],
    textOf: (doc) => decodedText(doc, columns),
    renderPng: (doc, path) => writeDocPng(doc, columns, path),
    unknownCommands: () => [...decoder.unknown],
    attach: (stream) => {
      const onData = (chunk: Buffer | string) => {
        const reply = decoder.feed(Buffer.from(chunk));
        if (reply.length > 0) stream.write(reply);
      };
      stream.on('data', onData);
      return () => stream.off('data', onData);
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
