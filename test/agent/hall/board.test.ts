import t from 'tap';
import { applyMessage, EMPTY_BOARD, parseNowServing, tiles, type BoardState } from '../../../agent/hall/board.ts';

const msg = (device: string, queueNumber: string, at: string, counter = `LOKET ${device.split('-')[1]}`) =>
  JSON.stringify({ counter, queueNumber, at });

function feed(state: BoardState, device: string, payload: string, retained = false, reconnected = false) {
  return applyMessage(state, { device, payload, retained, reconnected }, 3);
}

t.test('a live call is shown and announced; a repeated PANGGIL (new at) is announced again', async (t) => {
  let r = feed(EMPTY_BOARD, 'loket-2', msg('loket-2', 'A-012', '2026-12-05T03:00:00.000Z'));
  t.match(r.announce, { device: 'loket-2', counter: 'LOKET 2', queueNumber: 'A-012' });
  r = feed(r.state, 'loket-2', msg('loket-2', 'A-012', '2026-12-05T03:00:30.000Z'));
  t.ok(r.announce, 'repeat announced');
  t.equal(r.state.recent.length, 1, 'one line in the recent list');
  r = feed(r.state, 'loket-2', msg('loket-2', 'A-012', '2026-12-05T03:00:30.000Z'));
  t.equal(r.announce, null, 'a duplicate delivery is not');
});

t.test('retained calls: silent on first connect, announced after a reconnect only when new', async (t) => {
  let r = feed(EMPTY_BOARD, 'loket-1', msg('loket-1', 'A-001', '2026-12-05T03:00:00.000Z'), true, false);
  t.equal(r.announce, null);
  t.same(tiles(r.state).map((c) => c.queueNumber), ['A-001']);
  r = feed(r.state, 'loket-1', msg('loket-1', 'A-001', '2026-12-05T03:00:00.000Z'), true, true);
  t.equal(r.announce, null, 'the same call after a reconnect');
  r = feed(r.state, 'loket-1', msg('loket-1', 'A-002', '2026-12-05T03:05:00.000Z'), true, true);
  t.match(r.announce, { queueNumber: 'A-002' }, 'a call made while the hall was cut off');
  r = feed(r.state, 'loket-1', msg('loket-1', 'A-000', '2026-12-05T02:00:00.000Z'), false, false);
  t.equal(r.announce, null, 'an older call is never announced');
});

t.test('recent list: newest first, one line per number, bounded', async (t) => {
  let s = EMPTY_BOARD;
  for (const [i, n] of ['A-001', 'A-002', 'A-003', 'A-004'].entries()) s = feed(s, 'loket-1', msg('loket-1', n, `2026-12-05T03:0${i}:00.000Z`)).state;
  t.same(s.recent.map((c) => c.queueNumber), ['A-004', 'A-003', 'A-002']);
});

t.test('an empty payload removes the tile; junk is ignored', async (t) => {
  let s = feed(EMPTY_BOARD, 'loket-1', msg('loket-1', 'A-001', '2026-12-05T03:00:00.000Z')).state;
  s = feed(s, 'loket-10', msg('loket-10', 'B-001', '2026-12-05T03:00:00.000Z')).state;
  s = feed(s, 'loket-2', msg('loket-2', 'C-001', '2026-12-05T03:00:00.000Z')).state;
  t.same(tiles(s).map((c) => c.counter), ['LOKET 1', 'LOKET 2', 'LOKET 10'], 'loket order, not text order');
  s = feed(s, 'loket-2', '').state;
  t.same(tiles(s).map((c) => c.counter), ['LOKET 1', 'LOKET 10']);
  for (const junk of ['{', '[]', '{"counter":"L","queueNumber":"<script>","at":"x"}', JSON.stringify({ counter: 'x'.repeat(40), queueNumber: 'A-1', at: 'x' })]) {
    const r = feed(s, 'loket-3', junk);
    t.equal(r.state, s, junk.slice(0, 20));
    t.equal(r.announce, null);
  }
  t.equal(parseNowServing('d', '{"counter":"LOKET 1","queueNumber":"A-1","at":"t","nik":"1"}')?.queueNumber, 'A-1', 'extra keys are not copied');
  t.notOk('nik' in (parseNowServing('d', '{"counter":"LOKET 1","queueNumber":"A-1","at":"t","nik":"1"}') ?? {}));
});
