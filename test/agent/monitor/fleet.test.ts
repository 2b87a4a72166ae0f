import t from 'tap';
import { FleetState } from '../../../agent/monitor/fleet.ts';
import { renderTable, snapshot } from '../../../agent/monitor/render.ts';

const B = 'ektp/v1';
const j = (o: unknown) => Buffer.from(JSON.stringify(o));
const NOW = Date.parse('2026-11-27T02:00:00Z');
const ts = (agoMs = 0) => new Date(NOW - agoMs).toISOString();

const health = (paper = 'ok', depth = 0) =>
  j({
    reader: { status: 'ok', code: null },
    sam: 'ok',
    sensor: { status: 'ok', code: null },
    printer: { online: true, paper, coverOpen: false, code: null },
    outbox: { depth, dropped: 0, oldestAgeS: null },
    broker: 'connected',
    ts: ts(),
  });

const event = (bootId: string, seq: number) =>
  j({ bootId, seq, txId: 'x', type: 'handover', result: 'berhasil', reason: null, attempts: 1, finger: null, durationMs: 1, code: null, at: ts() });

t.test('FleetState', async (t) => {
  t.test('tracks each counter’s state, health and today’s counts from its topics', async (t) => {
    const f = new FleetState({ base: B });
    f.apply(`${B}/jkt/loket-01/status`, j({ state: 'ready', bootId: 'b1', ts: ts(), alerts: [] }), NOW);
    f.apply(`${B}/jkt/loket-01/health`, health(), NOW);
    f.apply(`${B}/jkt/loket-01/metrics`, j({ queueWaiting: 3, berhasil: 7, gagal: 1, served: 8 }), NOW);
    const [v] = f.views();
    t.match(v, { site: 'jkt', device: 'loket-01', state: 'ready', bootId: 'b1', metrics: { berhasil: 7, gagal: 1 } });
    t.same(f.alerts(NOW), []);
  });

  t.test('alerts for a lost counter, paper out, an outbox backlog and a stale counter', async (t) => {
    const f = new FleetState({ base: B, staleAfterMs: 180_000, backlogAlert: 50 });
    f.apply(`${B}/jkt/a/status`, j({ state: 'lost', bootId: 'b', ts: ts(), alerts: [] }), NOW);
    f.apply(`${B}/jkt/b/status`, j({ state: 'alert', bootId: 'b', ts: ts(), alerts: ['paper_out'] }), NOW);
    f.apply(`${B}/jkt/b/health`, health('out', 60), NOW);
    f.apply(`${B}/jkt/c/status`, j({ state: 'ready', bootId: 'b', ts: ts(600_000), alerts: [] }), NOW);
    f.apply(`${B}/jkt/d/status`, j({ state: 'offline', bootId: 'b', ts: ts(600_000), alerts: [] }), NOW);
    const codes = f.alerts(NOW).map((a) => `${a.device}:${a.code}`);
    t.same(codes.sort(), ['a:lost', 'b:outbox_backlog', 'b:paper_out', 'c:stale'], 'a clean offline is not an alert');
  });

  t.test('counts events once per (bootId, seq), reports duplicates and gaps, and closes a gap that fills late', async (t) => {
    const f = new FleetState({ base: B });
    const topic = `${B}/jkt/a/event`;
    for (const s of [1, 2, 2, 3, 5]) f.apply(topic, event('b1', s), NOW);
    t.same(f.totals(), { counters: 1, unique: 4, duplicates: 1, gaps: 1 });
    t.same(f.alerts(NOW).map((a) => a.code), ['event_gap']);
    f.apply(topic, event('b1', 4), NOW);
    t.same(f.totals(), { counters: 1, unique: 5, duplicates: 1, gaps: 0 });
    f.apply(topic, event('b2', 1), NOW);
    t.equal(f.totals().unique, 6, 'a new boot restarts the sequence without counting a gap');
    f.apply(`${B}/jkt/late/event`, event('b9', 500), NOW);
    t.equal(f.totals().gaps, 0, 'a monitor started mid-boot does not count earlier events as lost');
  });

  t.test('ignores broken, foreign and cleared messages without throwing', async (t) => {
    const f = new FleetState({ base: B });
    t.notOk(f.apply(`${B}/jkt/a/status`, Buffer.from('{nope'), NOW));
    t.notOk(f.apply(`${B}/jkt/a/status`, j({ state: 'exploded' }), NOW));
    t.notOk(f.apply(`${B}/jkt/a/health`, j([1, 2]), NOW));
    t.notOk(f.apply(`${B}/jkt/a/event`, j({ seq: 'x' }), NOW));
    t.notOk(f.apply('other/topic', j({}), NOW));
    t.notOk(f.apply(`${B}/jkt/a/b/c/status`, j({}), NOW));
    t.notOk(f.apply(`${B}/jkt/a/status`, Buffer.alloc(0), NOW));
    t.equal(f.malformed, 4);
  });

  t.test('renders a table with alerting counters first and a JSON snapshot', async (t) => {
    const f = new FleetState({ base: B });
    f.apply(`${B}/jkt/a-ok/status`, j({ state: 'ready', bootId: 'b', ts: ts(), alerts: [] }), NOW);
    f.apply(`${B}/jkt/z-lost/status`, j({ state: 'lost', bootId: 'b', ts: ts(), alerts: [] }), NOW);
    const text = renderTable(f.views(), f.alerts(NOW), NOW);
    const lines = text.split('\n');
    t.match(lines[0], /2 counters: 1 online, 1 lost, 1 alert/);
    t.match(lines[3], /^jkt\/z-lost\s+lost/);
    t.match(text, /ALERTS\n\s+lost\s+jkt\/z-lost/);
    const snap = snapshot(f.views(), f.alerts(NOW), NOW) as { counters: { device: string }[]; alerts: unknown[] };
    t.same(snap.counters.map((c) => c.device), ['a-ok', 'z-lost']);
    t.equal(snap.alerts.length, 1);
  });
});
