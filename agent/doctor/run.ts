import { withTimeout } from '../../drivers/deviceError.ts';
import { checkBroker } from './checks/broker.ts';
import { checkCardReader } from './checks/cardReader.ts';
import { checkClock } from './checks/clock.ts';
import { checkDatabase } from './checks/database.ts';
import { checkDataDir } from './checks/dataDir.ts';
import { checkDisk } from './checks/disk.ts';
import { checkDisplay } from './checks/display.ts';
import { checkPanel } from './checks/panel.ts';
import { checkPcscd } from './checks/pcscd.ts';
import { checkPrinter } from './checks/printer.ts';
import { checkSensor } from './checks/sensor.ts';
import { checkRosterKeys } from './checks/roster.ts';
import { checkLedgerSeal } from './checks/ledgerSeal.ts';
import { describeError, verdict } from './messages.ts';
import { expectedPart } from './referenceParts.ts';
import type { Check, CheckResult, DoctorContext } from './types.ts';

/** A device that does not answer within this is reported as such; the next check still runs. */
export const CHECK_TIMEOUT_MS = 15_000;

/**
 * The checks in the order an operator should fix things: the card path first (pcscd, then the
 * reader behind it), the other devices, then the box itself.
 */
function plan(ctx: DoctorContext): Array<[string, Check]> {
  const steps: Array<[string, Check]> = [['pcscd', checkPcscd]];
  if (ctx.cardReader) steps.push(['cardReader', checkCardReader]);
  if (ctx.sensor) steps.push(['sensor', checkSensor]);
  if (ctx.printer) steps.push(['printer', checkPrinter]);
  if (ctx.panel) steps.push(['panel', checkPanel]);
  if (ctx.display) steps.push(['display', checkDisplay]);
  steps.push(['broker', checkBroker], ['clock', checkClock]);
  if (ctx.rosterKeys !== undefined) steps.push(['roster', checkRosterKeys]);
  if (ctx.dataDir !== undefined) steps.push(['dataDir', checkDataDir], ['disk', checkDisk]);
  steps.push(['database', checkDatabase]);
  if (ctx.ledger !== undefined) steps.push(['ledger', checkLedgerSeal]);
  return steps;
}

/**
 * Runs every applicable check one after the other (devices share one USB bus, and a table in a
 * stable order is easier to read over the phone). A check that throws or hangs becomes a failed
 * row of its own; it never stops the others.
 */
export async function runChecks(ctx: DoctorContext, opts: { timeoutMs?: number } = {}): Promise<CheckResult[]> {
  const timeoutMs = opts.timeoutMs ?? CHECK_TIMEOUT_MS;
  const results: CheckResult[] = [];
  for (const [name, check] of plan(ctx)) {
    try {
      results.push(await withTimeout(() => check(ctx), timeoutMs, () => new TimeoutMarker()));
    } catch (err) {
      results.push(
        err instanceof TimeoutMarker
          ? verdict(name, 'CHECK_TIMEOUT', `${name}: no answer within ${timeoutMs} ms`)
          : verdict(name, 'CHECK_ERROR', `${name}: ${describeError(err)}`),
      );
    }
  }
  return results.map(withExpectedPart);
}

class TimeoutMarker extends Error {}

/** A missing device names the reference part it should be, so the box can be compared with the list. */
function withExpectedPart(r: CheckResult): CheckResult {
  const expected = r.status === 'fail' ? expectedPart(r.code) : undefined;
  return expected === undefined ? r : { ...r, expected };
}

/** 0 when nothing failed (warnings allowed), 1 otherwise: the CLI's exit status. */
export function exitStatus(results: readonly CheckResult[]): 0 | 1 {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
