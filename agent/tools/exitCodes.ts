/**
 * Exit statuses of `ektp-agent` and the agent itself, one per failure a script or systemd must
 * tell apart (docs/appliance.md lists them). systemd does not restart the agent on the ones a
 * restart cannot fix (RestartPreventExitStatus in ektp-agent.service).
 */
export const EXIT = {
  OK: 0,
  /** A check found problems (reconciliation off, doctor failed), or an unexpected error. */
  FAILED: 1,
  USAGE_OR_CONFIG: 2,
  LEDGER_TAMPERED: 3,
  LEDGER_UNREADABLE: 4,
  LEDGER_MISSING: 5,
  LEDGER_IN_USE: 6,
  DATA_DIR_READ_ONLY: 7,
  DISK_FULL: 8,
  LEDGER_KEY: 9,
  /** Retention refused: the clock is not synced or implausible. */
  CLOCK: 10,
} as const;

const BY_CODE: Readonly<Record<string, number>> = {
  CONFIG_INVALID: EXIT.USAGE_OR_CONFIG,
  LEDGER_TAMPERED: EXIT.LEDGER_TAMPERED,
  LEDGER_UNREADABLE: EXIT.LEDGER_UNREADABLE,
  LEDGER_MISSING: EXIT.LEDGER_MISSING,
  LEDGER_EXISTS: EXIT.FAILED,
  LEDGER_IN_USE: EXIT.LEDGER_IN_USE,
  DATA_DIR_READ_ONLY: EXIT.DATA_DIR_READ_ONLY,
  DISK_FULL: EXIT.DISK_FULL,
  LEDGER_KEY_MISSING: EXIT.LEDGER_KEY,
  LEDGER_KEY_MISMATCH: EXIT.LEDGER_KEY,
  CLOCK_NOT_SYNCED: EXIT.CLOCK,
  CLOCK_IMPLAUSIBLE: EXIT.CLOCK,
};

export function exitCodeFor(code: string | null | undefined): number {
  return (code && BY_CODE[code]) || EXIT.FAILED;
}
