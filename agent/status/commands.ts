import type { CommandErrorCode, CommandName, CommandResult } from './types.ts';

/** Larger payloads are refused before parsing: a command needs a request id and nothing else. */
export const MAX_COMMAND_BYTES = 1024;

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export const COMMAND_NAMES: readonly CommandName[] = ['ping', 'resend_info', 'rotate_logs'];

export type CommandHandlers = {
  readonly [K in CommandName]?: () => Promise<Readonly<Record<string, unknown>>>;
};

function fail(id: string | null, code: CommandErrorCode, message: string, now: Date): CommandResult {
  return { id, ok: false, ts: now.toISOString(), error: { code, message } };
}

/**
 * Turns one `cmd/{name}` message into its result. Never throws: a broken, oversized or unknown
 * command and a failing handler all become an `ok: false` result with a code (zigbee2mqtt's
 * `getResponse`), so a hostile or buggy sender cannot crash the counter.
 */
export async function runCommand(
  name: string,
  payload: Buffer,
  handlers: CommandHandlers,
  now: () => Date = () => new Date(),
): Promise<CommandResult> {
  if (payload.length > MAX_COMMAND_BYTES) {
    return fail(null, 'PAYLOAD_TOO_LARGE', `command payload is ${payload.length} bytes; limit ${MAX_COMMAND_BYTES}`, now());
  }
  let body: unknown;
  try {
    body = payload.length === 0 ? {} : JSON.parse(payload.toString('utf8'));
  } catch {
    return fail(null, 'BAD_PAYLOAD', 'payload is not JSON; expected {"id":"<request id>"}', now());
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(null, 'BAD_PAYLOAD', 'payload must be a JSON object {"id":"<request id>"}', now());
  }
  const rawId = (body as { id?: unknown }).id;
  if (typeof rawId !== 'string' || !REQUEST_ID.test(rawId)) {
    return fail(null, 'BAD_PAYLOAD', 'id must be 1-64 chars of A-Z a-z 0-9 _ . : -', now());
  }
  const id = rawId;
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) {
    return fail(id, 'UNKNOWN_COMMAND', `unknown command; allowed: ${COMMAND_NAMES.join(', ')}`, now());
  }
  const handler = handlers[name as CommandName];
  if (!handler) return fail(id, 'NOT_SUPPORTED', `${name} is not available on this counter`, now());
  try {
    const result = await handler();
    return { id, ok: true, ts: now().toISOString(), result };
  } catch (err) {
    return fail(id, 'COMMAND_FAILED', err instanceof Error ? err.message.slice(0, 200) : 'command failed', now());
  }
}
