import { EventEmitter } from 'node:events';
import { isDeviceError } from '../../drivers/deviceError.ts';
import type { Keypad } from '../../drivers/keypad/types.ts';
import type { Logger } from '../../drivers/logger.ts';
import type { LedName, LedPattern, Panel, PanelInput } from '../../drivers/panel/types.ts';
import type { Scanner } from '../../drivers/scanner/types.ts';
import type { Config } from '../config/types.ts';
import { CounterError } from '../errors.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { Resident, Ticket } from '../ledger/types.ts';
import { operatorMessage } from '../operatorMessages.ts';
import { intakeRefusalSlip } from '../slips/index.ts';
import type { PrintJobs } from '../transaction/runner.ts';
import { slipSite, type SlipBuilder } from '../transaction/slipBuilder.ts';
import { issueTicket } from './issueTicket.ts';
import type { ClockSync } from '../clockSync.ts';
import { awaitingReturnOf, recordHandback, type AwaitingReturn } from '../ledger/handbacks.ts';
import { oldKtpHandbackHeldSlip, oldKtpHandbackSlip, type OldKtpHandbackData } from '../slips/oldKtpHandback.ts';

/** What the desk is waiting for. Held in memory only: nothing is recorded until the ticket. */
export type DeskState =
  | { readonly name: 'IDLE' }
  /** Resident found and admissible; the officer checks signature and stamp on the letter. */
  | { readonly name: 'CONFIRM_LETTER'; readonly residentId: number }
  /** "KTP lama hilang": waiting for the police loss-report number (keypad or scanner). */
  | { readonly name: 'LOSS_REPORT'; readonly residentId: number }
  /** The resident came back for the old KTP (KEMBALIKAN KTP LAMA): SESUAI once it is in their hands. */
  | { readonly name: 'HANDBACK'; readonly residentId: number };

export interface DeskEvents {
  state: [DeskState];
  /** A coded refusal or notice (operatorMessages.ts); nothing was recorded. */
  notice: [string];
  issued: [Ticket];
  /** The old KTP was handed back and recorded `returned` (agent/ledger/handbacks.ts). */
  handedBack: [AwaitingReturn];
}

export interface IntakeDeskParts {
  readonly config: Config;
  readonly ledger: Ledger;
  readonly prints: PrintJobs;
  readonly slips: SlipBuilder;
  readonly panel: Panel;
  readonly scanner: Scanner | null;
  readonly keypad: Keypad | null;
  readonly logger: Logger;
  readonly now: () => Date;
  /** After a ticket commits (metrics, the office queue's waiters). */
  readonly onIssued?: (t: Ticket) => void;
  /** NTP state of the wall clock (agent/clockSync.ts); absent: taken as synced (tests). */
  readonly clock?: ClockSync;
  /** Why no ticket may be issued now (the ledger stopped verifying: LEDGER_TAMPERED), or null. */
  readonly refusal?: () => string | null;
  /** Re-verifies the ledger now, as the timer does (agent/ledger/watch.ts): before a handback. */
  readonly recheck?: (why: string) => void;
}

const NIK = /^\d{16}$/;
/** A police loss-report number ("LP/B/123/XII/2026", "STPL/45/2026"): no spaces, no personal data. */
const LOSS_REPORT = /^[A-Za-z0-9][A-Za-z0-9/.-]{2,39}$/;

/**
 * The intake desk (SOP steps 1–2, 11): the support officer identifies the resident from the
 * summons letter (scanner) or the NIK typed on the keypad, checks the roster, confirms with
 * SESUAI that the letter is signed and stamped (SANGGAH: the old KTP is lost, key in the police
 * report number), and the queue ticket prints. Refusals light GAGAL and print a coded slip;
 * nothing is recorded for them. BATAL drops what is in progress.
 */
export class IntakeDesk extends EventEmitter<DeskEvents> {
  private state: DeskState = { name: 'IDLE' };
  private readonly log: Logger;
  private readonly onPanel = (i: PanelInput) => this.button(i);
  private readonly onScan = (text: string) => this.text(text, 'scanner');
  private readonly onEntry = (text: string) => this.text(text, 'keypad');
  private readonly onFault = (e: { code: string }) => this.notice(e.code);

  constructor(private readonly parts: IntakeDeskParts) {
    super();
    this.log = parts.logger.child({ module: 'intake' });
  }

  current(): DeskState {
    return this.state;
  }

  start(): void {
    this.parts.panel.on('input', this.onPanel);
    this.parts.scanner?.on('scan', this.onScan);
    // The officer's notice for every scanner/keypad fault; GANGGUAN, the `*_fault` events and
    // health come from the box's FaultMonitor (agent/faults.ts), which also sees the recoveries.
    this.parts.scanner?.on('fault', this.onFault);
    this.parts.keypad?.on('entry', this.onEntry);
    this.parts.keypad?.on('fault', this.onFault);
    this.show();
  }

  stop(): void {
    this.parts.panel.off('input', this.onPanel);
    this.parts.scanner?.off('scan', this.onScan);
    this.parts.scanner?.off('fault', this.onFault);
    this.parts.keypad?.off('entry', this.onEntry);
    this.parts.keypad?.off('fault', this.onFault);
  }

  /**
   * A fault outside the desk's devices (the ledger refused, the office link refused…): the officer's
   * notice. GANGGUAN is the FaultMonitor's, which turns it off when nothing is at fault any more.
   */
  fault(code: string): void {
    this.notice(code);
  }

  /** A scanned symbol or a keyed entry; the same path for the scanner, the keypad and tests. */
  text(text: string, source: 'scanner' | 'keypad'): void {
    switch (this.state.name) {
      case 'IDLE':
        return this.identify(text, source);
      case 'LOSS_REPORT':
        if (!LOSS_REPORT.test(text)) return this.notice('LOSS_REPORT_INVALID');
        return this.issue(this.state.residentId, { lossReport: text });
      case 'CONFIRM_LETTER':
      case 'HANDBACK':
        // A second letter while one is being checked: finish or cancel the first.
        return this.notice('WRONG_STATE');
    }
  }

  button(input: PanelInput): void {
    if (input.kind !== 'press') return;
    const s = this.state;
    if (input.button === 'BATAL') {
      if (s.name === 'IDLE') return this.notice('WRONG_STATE');
      this.log.info({ from: s.name }, 'intake cancelled; nothing recorded');
      this.notice('CANCELED');
      return this.go({ name: 'IDLE' });
    }
    if (s.name === 'HANDBACK' && input.button === 'SESUAI') return this.handBack(s.residentId);
    if (s.name === 'CONFIRM_LETTER' && input.button === 'SESUAI') return this.issue(s.residentId, 'held');
    if (s.name === 'CONFIRM_LETTER' && input.button === 'SANGGAH') return this.go({ name: 'LOSS_REPORT', residentId: s.residentId });
    this.notice('WRONG_STATE');
  }

  private identify(text: string, source: 'scanner' | 'keypad'): void {
    const { ledger } = this.parts;
    const byNik = NIK.test(text);
    const resident: Resident | null = byNik ? ledger.residentByNik(text) : ledger.residentByLetter(text);
    // The log never gets the NIK or letter number: only how the resident was looked up.
    if (!resident) return this.refuse(byNik ? 'NIK_UNKNOWN' : 'LETTER_UNKNOWN', source);
    // Before the queue checks: this resident's ticket is served or cancelled and the card retained
    // or still on hand, which the checks would refuse (ALREADY_ISSUED) or queue again.
    const owed = awaitingReturnOf(ledger, resident);
    if (owed) {
      const held = this.handbackRefusal();
      if (held) return this.holdOldKtp(resident, owed, held, source);
      this.log.info({ source, by: byNik ? 'nik' : 'letter' }, 'resident came back for the old KTP; waiting for the handback');
      this.go({ name: 'HANDBACK', residentId: resident.id });
      return this.notice('OLD_KTP_HANDBACK');
    }
    // A ledger that no longer verifies takes no new resident, as on a counter.
    const refused = this.parts.refusal?.() ?? null;
    if (refused) return this.refuse(refused, source);
    try {
      ledger.checkIntake(resident);
    } catch (err) {
      if (err instanceof CounterError) return this.refuse(err.code, source);
      throw err;
    }
    this.log.info({ source, by: byNik ? 'nik' : 'letter' }, 'resident found; waiting for the letter check');
    this.go({ name: 'CONFIRM_LETTER', residentId: resident.id });
  }

  private issue(residentId: number, oldKtp: 'held' | { lossReport: string }): void {
    const { ledger, prints, slips, config } = this.parts;
    const resident = ledger.residentById(residentId);
    // Before NTP sync the numbers go on from the last ticket instead of starting a new day.
    const synced = this.parts.clock?.synced() ?? true;
    if (synced === false) this.log.warn({ code: 'CLOCK_NOT_SYNCED' }, 'queue number issued before the clock is synced; numbering continues');
    let ticket: Ticket;
    try {
      ticket = issueTicket({ ledger, prints, slips }, resident.letterNo, config.counter.queuePrefix, oldKtp, { synced });
    } catch (err) {
      // Someone else queued the resident between the scan and SESUAI (a second desk).
      if (err instanceof CounterError) return this.refuse(err.code, 'confirm');
      throw err;
    }
    this.log.info({ ticket: ticket.number, oldKtp: oldKtp === 'held' ? 'held' : 'lost_reported' }, 'intake: queue ticket issued');
    this.pump();
    this.go({ name: 'IDLE' });
    this.parts.panel.setLed('BERHASIL', 'on');
    this.emit('issued', ticket);
    this.parts.onIssued?.(ticket);
  }

  private handBack(residentId: number): void {
    const { ledger, prints, config } = this.parts;
    const resident = ledger.residentById(residentId);
    const owed = awaitingReturnOf(ledger, resident);
    // Handed back meanwhile (close-day from the shell): nothing more to record.
    if (!owed) return this.refuse('WRONG_STATE', 'confirm');
    // Edited between the scan and SESUAI: the re-check right before the write finds it.
    const held = this.handbackRefusal();
    if (held) return this.holdOldKtp(resident, owed, held, 'confirm');
    ledger.atomically(() => {
      recordHandback(ledger, owed);
      prints.enqueue(oldKtpHandbackSlip(this.handbackData(resident, owed), config.devices.printer.columns), { txId: null });
    });
    this.log.info({ ticket: owed.number }, 'old KTP handed back at the desk');
    this.pump();
    this.go({ name: 'IDLE' });
    this.notice('OLD_KTP_RETURNED');
    this.emit('handedBack', owed);
  }

  /**
   * Why the handback may not be recorded now, or null. Recording it writes the custody event that
   * makes an old KTP's state match its last event, which is how verify-ledger finds a state edited
   * by hand: on a ledger that no longer verifies it would bury exactly that evidence (an old KTP
   * made "owed" by an edit would verify clean once handed back). So the ledger is re-verified
   * first, and a refusal holds the handback as it holds new tickets; the counter takes no new
   * resident on such a ledger either.
   */
  private handbackRefusal(): string | null {
    this.parts.recheck?.('handback');
    return this.parts.refusal?.() ?? null;
  }

  /**
   * The handback held on a ledger that no longer verifies: nothing recorded (the old KTP stays
   * `awaiting_return`, listed by the reports), two slips say why (the resident's copy, and the
   * staff copy the Dinas decides on), GAGAL blinks over GANGGUAN and the log has the code.
   */
  private holdOldKtp(resident: Resident, owed: AwaitingReturn, cause: string, source: string): void {
    const { prints, config } = this.parts;
    for (const copy of ['penduduk', 'petugas'] as const) {
      prints.enqueue(oldKtpHandbackHeldSlip({ ...this.handbackData(resident, owed), code: cause, copy }, config.devices.printer.columns), { txId: null });
    }
    this.pump();
    this.log.warn({ code: 'OLD_KTP_HANDBACK_HELD', cause, ticket: owed.number, source }, 'old KTP handback held: the ledger does not verify; nothing recorded');
    this.go({ name: 'IDLE' });
    this.notice('OLD_KTP_HANDBACK_HELD');
  }

  private handbackData(resident: Resident, owed: AwaitingReturn): OldKtpHandbackData {
    const { config, now } = this.parts;
    return {
      site: slipSite(config),
      at: now().toISOString(),
      queueNumber: owed.number,
      person: { name: resident.name, nik: resident.nik },
      letterNo: resident.letterNo,
      why: owed.why,
      officer: config.counter.operatorId,
    };
  }

  private refuse(code: string, source: string): void {
    const m = operatorMessage(code);
    const { config, prints, now } = this.parts;
    prints.enqueue(intakeRefusalSlip({ site: slipSite(config), at: now().toISOString(), code, text: m.text }, config.devices.printer.columns), { txId: null });
    this.pump();
    this.log.warn({ code, source }, 'intake refused; nothing recorded');
    this.go({ name: 'IDLE' });
    this.notice(code);
  }

  private go(next: DeskState): void {
    this.state = next;
    this.show();
    this.emit('state', next);
  }

  private show(): void {
    const leds: Record<LedName, LedPattern> = { SIAP: 'off', SIBUK: 'off', TEMPELKAN_JARI: 'off', BERHASIL: 'off', GAGAL: 'off', GANGGUAN: this.parts.panel.leds().GANGGUAN };
    if (this.state.name === 'IDLE') leds.SIAP = 'on';
    else leds.SIBUK = this.state.name === 'LOSS_REPORT' ? 'slow' : 'pulse';
    // KEMBALIKAN KTP LAMA: the officer must not print a ticket by habit; BERHASIL blinks with it.
    if (this.state.name === 'HANDBACK') leds.BERHASIL = 'slow';
    for (const [led, p] of Object.entries(leds)) this.parts.panel.setLed(led as LedName, p);
  }

  private notice(code: string): void {
    const m = operatorMessage(code);
    this.parts.panel.setLed(m.led, m.pattern);
    this.log[m.level]({ code, state: this.state.name, led: m.led, pattern: m.pattern }, 'operator notice');
    this.emit('notice', code);
  }

  private pump(): void {
    this.parts.prints.pump().catch((err: unknown) => this.notice(isDeviceError(err) ? err.code : 'PRINTER_IO'));
  }
}
