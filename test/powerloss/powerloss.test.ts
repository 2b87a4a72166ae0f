import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { checkMix, freezeCap, minimumKills, runPowerLoss, type PowerLossReport } from '../harness/powerloss/harness.ts';
import { TX_STATES } from '../harness/powerloss/protocol.ts';
import { startMosquitto } from '../helpers/mosquitto.ts';


// About a minute and a half on an idle 2-core box (each agent run boots node, tsx and the matcher
// worker); the guard is generous because CI runs two test files at once.
// Up to five days (above) under CI's load: 15 minutes at most.
t.setTimeout(900_000);

t.test('power-loss harness', async (t) => {
  const broker = await startMosquitto();
  t.teardown(() => broker.stop());
  // A private directory: tap's fixture path is shared by every tap run of this file on the machine.
  const workDir = mkdtempSync(join(tmpdir(), 'ektp-powerloss-test-'));
  t.teardown(() => rmSync(workDir, { recursive: true, force: true }));
  // The planner must land a kill in every state, and the short ones (DISPUTE_REVIEW, UNVERIFIED)
  // come up only a few times a day. It aims at the rarest wanted state first, re-aims by microtask
  // turns after a miss and kills on entry at a state's last chance; with that, seeds 10, 11 and
  // 14-17 all covered every state at load 10-13, where 10, 11 and 14 had run out before. A day that
  // still runs out ("the day ran out before …") is a coverage shortfall, not a custody fault, so
  // up to five seeded days are tried; a run that finds a real fault throws otherwise and fails.
  let found: PowerLossReport | null = null;
  for (const seed of [7, 8, 9, 10, 11]) {
    const dir = join(workDir, `seed-${seed}`);
    mkdirSync(dir, { recursive: true });
    try {
      found = await runPowerLoss({ kills: 10, seed, residents: 12, mqttUrl: broker.url, workDir: dir });
      break;
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('power-loss: the day ran out')) throw err;
      t.comment(`seed ${seed}: ${err.message}`);
    }
  }
  if (found === null) throw new Error('power-loss: five seeded days all ran out before every state got its kill');
  const report: PowerLossReport = found;
  t.comment(JSON.stringify({ kills: report.kills, statesKilled: report.statesKilled, killModes: report.killModes, timeMs: report.timeMs }));
  t.comment(report.killLog.join('\n'));

  t.test('kills the agent at least as often as asked and in every transaction state', async (t) => {
    t.ok(report.kills >= 10, `${report.kills} kills`);
    const minimum = minimumKills(10);
    for (const s of TX_STATES) t.ok(report.statesKilled[s] >= minimum[s], `${report.statesKilled[s]} kills in ${s}, at least ${minimum[s]}`);
    t.ok(report.transactions.interrupted > 0, 'some transactions were cut before their verdict');
  });

  t.test('kills at random times, not at safe points', async (t) => {
    // The rules from this file's own constants, not from the report, so a harness that rewrote
    // them in its report would still be held to them.
    const cap = freezeCap(10);
    t.ok(report.killModes.freeze <= cap, `${report.killModes.freeze} freeze kills, cap ${cap}`);
    const random = report.killModes.after + report.killModes.time + report.killModes.sheet + report.killModes.event;
    t.ok(random >= report.kills - cap - report.killModes.parked, `${random} of ${report.kills} kills at random times`);
    t.ok(report.killModes.after > 0, `${report.killModes.after} kills aimed at a random time within a state`);
    const perState = Object.fromEntries(TX_STATES.map((s) => [s, Object.values(report.killMix[s]).reduce((a, b) => a + b, 0)]));
    t.same(perState, report.statesKilled, 'the kill mix adds up to the kills per state');
    t.same(checkMix(report), [], 'the harness checks the same mix');
    t.same(report.mixProblems, []);
  });

  t.test('finishes the day with the print queue and the outbox empty', async (t) => {
    t.same(report.finalRun, { printQueueDepth: 0, outboxDepth: 0 });
    t.ok(report.transactions.byOutcome.berhasil > 0 && report.transactions.byOutcome.gagal > 0, 'both verdicts happened');
  });

  t.test('loses and duplicates no custody move', async (t) => {
    t.equal(report.custodyRowsLost, 0);
    t.equal(report.custodyRowsDuplicated, 0);
    t.equal(report.custodyChainBreaks, 0);
  });

  t.test('prints no slip twice without CETAK ULANG and loses none', async (t) => {
    t.equal(report.slipsPrintedTwiceUnmarked, 0);
    t.equal(report.slipsMissing, 0);
    t.equal(report.slipsUnexpected, 0);
    t.equal(report.sheets.incomplete, 0);
  });

  t.test('delivers every required event once to a consumer deduplicating by (bootId, seq)', async (t) => {
    t.equal(report.eventsLost, 0);
    t.equal(report.eventsDuplicated, 0);
    t.equal(report.eventsUnexpected, 0);
    t.ok(report.events.required > 0);
  });

  t.test('leaves a ledger that verifies and reconciles', async (t) => {
    t.same(report.verifyProblems, []);
    t.same(report.reconcileProblems, []);
    t.same(report.findings, [], 'the harness found nothing');
  });
});
