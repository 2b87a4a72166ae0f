import type { Logger } from '../../drivers/logger.ts';
import type { OfficeJournal } from './journal.ts';
import type { OfficeLink } from './link.ts';
import type { JournalMessage } from './protocol.ts';

/**
 * What both ends do with the journal: send every unacknowledged message again every `resendMs`
 * (and at once on reconnect), drop it at the receiver's ack, apply incoming ones once and ack.
 */
export class JournalPump {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly journal: OfficeJournal,
    private readonly link: OfficeLink,
    private readonly apply: (m: JournalMessage) => void,
    private readonly opts: { resendMs: number; now: () => Date; logger: Logger },
  ) {}

  start(): void {
    this.link.on('up', () => this.flush());
    this.link.on('inbox', (m) => {
      if (m.kind === 'ack') {
        this.journal.acked(m.bootId, m.seq);
        return;
      }
      if (m.kind !== 'journal') return;
      try {
        this.journal.receive(m, this.opts.now().toISOString(), () => this.apply(m));
      } catch (err) {
        // Not acked: the sender tries again; the log says why it could not be applied.
        this.opts.logger.error({ err, from: m.from, type: m.body.type }, 'office message could not be applied');
        return;
      }
      this.link.send(m.from, { kind: 'ack', from: this.journal.device, bootId: m.bootId, seq: m.seq });
    });
    this.timer = setInterval(() => this.flush(), this.opts.resendMs);
    this.timer.unref();
  }

  /** Sends what is waiting now (after a commit, so a close reaches the desk without delay). */
  flush(): void {
    if (!this.link.connected) return;
    for (const { to, message } of this.journal.unacked()) this.link.send(to, message);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
