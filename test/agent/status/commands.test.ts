import t from 'tap';
import { MAX_COMMAND_BYTES, runCommand } from '../../../agent/status/commands.ts';

const NOW = () => new Date('2026-11-27T01:00:00Z');

t.test('runCommand', async (t) => {
  const handlers = {
    ping: async () => ({ pong: true }),
    resend_info: async () => {
      throw new Error('broker gone');
    },
  };

  t.test('echoes the request id with the handler result', async (t) => {
    t.same(await runCommand('ping', Buffer.from('{"id":"abc-1"}'), handlers, NOW), {
      id: 'abc-1', ok: true, ts: '2026-11-27T01:00:00.000Z', result: { pong: true },
    });
  });

  t.test('refuses oversized payloads before parsing them', async (t) => {
    const r = await runCommand('ping', Buffer.alloc(MAX_COMMAND_BYTES + 1, 0x20), handlers, NOW);
    t.match(r, { id: null, ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  t.test('answers BAD_PAYLOAD for non-JSON, non-objects and bad ids', async (t) => {
    for (const p of ['{', 'null', '"x"', '42', '[]', '{"id":5}', '{"id":""}', `{"id":"${'x'.repeat(65)}"}`, '{"id":"a b"}']) {
      t.match(await runCommand('ping', Buffer.from(p), handlers, NOW), { ok: false, error: { code: 'BAD_PAYLOAD' } }, p);
    }
  });

  t.test('answers UNKNOWN_COMMAND outside the allow-list and NOT_SUPPORTED without a handler', async (t) => {
    t.match(await runCommand('reboot', Buffer.from('{"id":"r"}'), handlers, NOW), { id: 'r', error: { code: 'UNKNOWN_COMMAND' } });
    t.match(await runCommand('__proto__', Buffer.from('{"id":"r"}'), handlers, NOW), { error: { code: 'UNKNOWN_COMMAND' } });
    t.match(await runCommand('rotate_logs', Buffer.from('{"id":"r"}'), handlers, NOW), { error: { code: 'NOT_SUPPORTED' } });
  });

  t.test('turns a throwing handler into COMMAND_FAILED', async (t) => {
    t.match(await runCommand('resend_info', Buffer.from('{"id":"r"}'), handlers, NOW), {
      id: 'r', ok: false, error: { code: 'COMMAND_FAILED', message: 'broker gone' },
    });
  });
});
