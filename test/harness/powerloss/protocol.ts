import type { CardData } from '../../../drivers/card/types.ts';
import type { TxStateName } from '../../../agent/transaction/states.ts';

/**
 * What the power-loss harness (parent) and the agent under test (child) tell each other.
 * Reports travel child → parent as JSON lines on fd 3, written synchronously, so a report is in
 * the pipe before the next instruction of the child runs: the parent can kill right after it.
 * Cards travel over the IPC channel (structured clone keeps the Uint8Arrays), never via disk.
 */
export const TX_STATES: readonly TxStateName[] = [
  'IDLE',
  'CALLED',
  'READING_CARD',
  'DATA_CHECK',
  'DISPUTE_REVIEW',
  'VERIFY_FINGER',
  'HANDOVER',
  'RETURN_DOCS',
  'UNVERIFIED',
];

export interface ChildOptions {
  readonly dataDir: string;
  readonly residents: number;
  readonly seed: number;
  readonly printerPort: number;
  /** The roster signing key pair (PEM files) and the ledger chain key, made once by the harness. */
  readonly rosterPublicKey: string;
  readonly rosterPrivateKey: string;
  readonly ledgerKeyFile: string;
  readonly mqttUrl: string;
  /** The child's clock reads `clockBase + (Date.now() - clockOrigin)`: one fixed day, always forward. */
  readonly clockBase: number;
  readonly clockOrigin: number;
  /** Serve until nothing waits, then daily report, drain slips and events, print the result. */
  readonly finish: boolean;
  /**
   * Stop dead on the `occurrence`-th entry into `state` this run, right after the step committed
   * and before any of its after-commit work (waits, printing, publishing) started.
   */
  readonly freeze: { readonly state: TxStateName; readonly occurrence: number } | null;
  /**
   * SIGKILL itself at a random point of the first stay in `state` this run (a verdict resumed at
   * boot counts): `delayMs` after entering it, or, when that is 0, after `hops` microtask turns.
   * For short stays only (DISPUTE_REVIEW lasts a few ms between two commits), shorter than the
   * harness's pipe and timer latency; longer ones the harness times and kills from outside.
   */
  readonly killIn: { readonly state: TxStateName; readonly delayMs: number; readonly hops: number } | null;
  readonly logLevel: string;
}

export type ChildReport =
  /** `stages`: ms since process start at each step of the boot, for the harness's timing figures. */
  | { readonly type: 'ready'; readonly bootId: string; readonly state: TxStateName; readonly pid: number; readonly stages: Readonly<Record<string, number>>; readonly at: number }
  /** `at`: the child's performance.now() when the state was entered, for the harness's dwell figures. */
  | { readonly type: 'state'; readonly state: TxStateName; readonly at: number }
  /** The child is about to SIGKILL itself as `killIn` asked. */
  | { readonly type: 'killing'; readonly state: TxStateName }
  | { readonly type: 'frozen'; readonly state: TxStateName }
  /** Nothing waits and this run is not the one that finishes the day. */
  | { readonly type: 'parked' }
  | {
      readonly type: 'finished';
      readonly printQueueDepth: number;
      readonly outboxDepth: number;
      readonly reconciled: boolean;
      readonly problems: readonly string[];
    };

export type ParentMessage = { readonly type: 'world'; readonly cards: ReadonlyArray<readonly [number, CardData]> };

export type ChildMessage = { readonly type: 'card'; readonly index: number; readonly card: CardData };

export const REPORT_FD = 3;
