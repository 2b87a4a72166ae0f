/**
 * The office link authenticates as the status link does: username/password and TLS from the
 * `office` block, checked by the same code. Through a real mosquitto secured as docs/appliance.md
 * says (TLS, a password per box, the documented ACL): the office works with the right
 * credentials, a wrong password is refused with a coded log line and LED, and the ACL keeps a
 * counter from answering another counter's claims.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseConfig } from '../../../agent/config/load.ts';
import { referencedFileProblems } from '../../../agent/config/files.ts';
import type { Logger } from '../../../drivers/logger.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { collect } from '../../helpers/mosquitto.ts';
import { DESK, OFFICE_SITE, openSimOffice } from '../../harness/office.ts';
import { startOfficeBroker } from '../../harness/officeBroker.ts';

const until = async (pred: () => boolean, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Log lines with their fields, for the coded line a technician greps for. */
function recordingLogger(lines: { level: string; obj: Record<string, unknown>; msg?: string }[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: { ...bindings, ...obj }, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => recordingLogger(lines, { ...bindings, ...b }) };
}

function problemsOf(raw: Record<string, unknown>): readonly string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    return (e as { problems: readonly string[] }).problems;
  }
  return [];
}

const PASSWORDS = { [DESK]: 'desk-secret', 'loket-1': 'l1-secret', 'loket-2': 'l2-secret' };

t.test('the office over TLS with a password per box and the documented ACL', async (t) => {
  const broker = await startOfficeBroker(PASSWORDS);
  t.teardown(() => broker.stop());
  const tls = { ...broker.tls!, servername: 'localhost' };
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-sec-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const office = await openSimOffice({
    residents: 3,
    seed: 21,
    counters: 2,
    dir,
    brokerUrl: broker.tlsUrl!,
    logger: silentLogger,
    officeFor: (device) => ({ username: device, password: PASSWORDS[device as keyof typeof PASSWORDS], tls }),
  });
  t.teardown(() => office.close());
  await until(() => office.counters.every((c) => c.counter.office!.connected), 'counters connected over TLS with their passwords');

  await office.intakeAll([office.counters[0].played[0].resident.letterNo]);
  const { served } = await office.serveUntilEmpty(0);
  t.equal(served, 1, 'a ticket claimed and served under the ACL');
  await until(() => office.counters[0].counter.office!.journalDepth() === 0, 'the close acknowledged by the desk');

  // Presence is retained for the desk (what `office leases` reads).
  const desk = await collect(broker.tlsUrl!, `ektp/v1/${OFFICE_SITE}/office/presence/+`, {
    username: DESK,
    password: PASSWORDS[DESK],
    ca: readFileSync(tls.caFile),
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    servername: 'localhost',
    protocolVersion: 5,
  });
  t.teardown(() => desk.end());
  await desk.until((all) => all.filter((m) => m.retain && JSON.parse(m.payload).state === 'online').length >= 3, 5000, 'three boxes online');

  // The ACL: loket-1 cannot write into loket-2's inbox (a forged claim reply), the desk can.
  const creds = (u: keyof typeof PASSWORDS) => ({ username: u, password: PASSWORDS[u], protocolVersion: 5 as const });
  const inbox2 = `ektp/v1/${OFFICE_SITE}/office/to/loket-2`;
  const watcher = await collect(broker.url, inbox2, creds('loket-2'));
  t.teardown(() => watcher.end());
  const claims = `ektp/v1/${OFFICE_SITE}/office/queue/claim`;
  const forger = await collect(broker.url, claims, creds('loket-1'));
  t.teardown(() => forger.end());
  await forger.client.publishAsync(inbox2, JSON.stringify({ kind: 'claim_reply', status: 'empty', claimId: 'forged' }), { qos: 1 }).catch(() => undefined);
  const deskProbe = await collect(broker.url, claims, creds(DESK));
  t.teardown(() => deskProbe.end());
  await deskProbe.client.publishAsync(inbox2, JSON.stringify({ kind: 'ack', from: DESK, bootId: 'probe', seq: 0 }), { qos: 1 });
  await watcher.waitFor((m) => m.payload.includes('"probe"'), 5000, "the desk's message to loket-2");
  await sleep(300);
  t.notOk(watcher.messages.some((m) => m.payload.includes('forged')), "loket-1's forged claim reply never reaches loket-2");
  // Nor does a counter see the claims of the others (no response topic: the desk drops it).
  await watcher.client.publishAsync(claims, JSON.stringify({ probe: 'claim' }), { qos: 1 });
  await deskProbe.waitFor((m) => m.payload.includes('"probe"'), 5000, 'the claim at the desk');
  await sleep(300);
  t.notOk(forger.messages.some((m) => m.payload.includes('"probe"')), "loket-1 does not receive loket-2's claim");
});

t.test('a wrong password is refused: coded log line, GANGGUAN on PANGGIL and at the desk; nothing claimed', async (t) => {
  const broker = await startOfficeBroker(PASSWORDS);
  t.teardown(() => broker.stop());
  const tls = { ...broker.tls!, servername: 'localhost' };
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-sec-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const office = await openSimOffice({
    residents: 3,
    seed: 22,
    counters: 1,
    dir,
    brokerUrl: broker.tlsUrl!,
    logger: recordingLogger(lines),
    officeFor: (device) => ({ username: device, password: device === DESK ? 'not-the-desk-password' : PASSWORDS[device as keyof typeof PASSWORDS], tls }),
  });
  t.teardown(() => office.close());
  const c = office.counters[0];
  await until(() => c.counter.office!.connected, 'the counter, with the right password, connects');
  await until(() => lines.some((l) => l.obj.code === 'OFFICE_LINK_REFUSED' && l.obj.box === DESK), 'the desk logs its refusal');
  const refusals = lines.filter((l) => l.obj.code === 'OFFICE_LINK_REFUSED' && l.obj.box === DESK && /refused this box/.test(l.msg ?? ''));
  t.match(refusals[0], { level: 'error', msg: /office broker refused this box/ });
  t.equal(office.intake.devices.panel.leds().GANGGUAN, 'fast', 'the desk lights GANGGUAN');
  await sleep(2500);
  t.equal(lines.filter((l) => l.obj.code === 'OFFICE_LINK_REFUSED' && l.obj.box === DESK && /refused this box/.test(l.msg ?? '')).length, 1, 'logged once while it keeps retrying', { lines: lines.filter((l) => l.obj.box === DESK && l.level !== 'debug').map((l) => JSON.stringify(l)) });
  t.equal(await office.intakeAll([c.played[0].resident.letterNo]), 1, 'the desk keeps issuing tickets');

  // A counter with a wrong password: PANGGIL says why, and holds nothing.
  await c.close();
  const { openSimCounter } = await import('../../../agent/sim/simCounter.ts');
  const bad = await openSimCounter({
    residents: 3,
    seed: 22,
    dataDir: join(dir, 'loket-1'),
    logger: recordingLogger(lines, { box: 'loket-1' }),
    configOverrides: { site: { id: OFFICE_SITE }, counter: { id: 'loket-1', label: 'LOKET 1' }, office: { url: broker.tlsUrl!, authority: DESK, username: 'loket-1', password: 'wrong', tls } },
  });
  t.teardown(() => bad.close());
  await until(() => lines.some((l) => l.obj.code === 'OFFICE_LINK_REFUSED' && l.obj.box === 'loket-1'), 'the counter logs its refusal');
  const notice = new Promise<string>((r) => bad.counter.runner.once('notice', r));
  bad.devices.panel.press('PANGGIL');
  t.equal(await notice, 'OFFICE_LINK_REFUSED', 'PANGGIL names the refusal, not an unreachable queue');
  t.equal(bad.devices.panel.led('GANGGUAN'), 'fast');
  t.equal(bad.counter.office!.pendingClaims(), 0, 'nothing half-claimed');
});

t.test('the office block takes the mqtt block credentials, with the same checks', async (t) => {
  const base = { role: 'counter', counter: { id: 'loket-1' } };
  const ok = parseConfig({ ...base, office: { url: 'mqtts://o.example:8883', authority: DESK, username: 'loket-1', password: 'p', tls: { caFile: '/nonexistent/ca.crt' } } });
  t.match(ok.office, { username: 'loket-1', password: 'p', keepaliveS: 10, claimTimeoutMs: 3000 });
  t.same(referencedFileProblems(ok), ['office.tls.caFile: cannot read /nonexistent/ca.crt: ENOENT']);
  t.same(problemsOf({ ...base, office: { url: 'mqtt://o.example:1883', authority: DESK, passwrod: 'x', password: 'p', tls: { rejectUnauthorised: false } } }), [
    'office.passwrod: unknown key',
    'office.tls.rejectUnauthorised: unknown key',
    'office.tls: set, but the URL is not mqtts://; TLS would not be used (use mqtts:// or wss://)',
    'office.password: set without username',
  ]);
  // With real devices, the footguns of the mqtt block are refused for the office broker too.
  const real = { ...base, dataDir: '/tmp/x', ledger: { keyFile: '/etc/k' }, roster: { trustedKeys: ['/etc/r.pem'] }, devices: { printer: { driver: 'escpos', columns: 32, transport: { type: 'tcp', host: '127.0.0.1', port: 9100 } } } };
  const err = { problems: problemsOf({ ...real, office: { url: 'mqtt://o.example:1883', authority: DESK, username: 'u', password: 'p' } }) };
  t.ok(err.problems.includes('office.password: sent in clear text over a plain mqtt:// or ws:// URL; use mqtts:// or wss:// with real devices'), err.problems.join('\n'));
});
