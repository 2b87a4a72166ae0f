import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { describeError, verdict } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'broker';
/** The doctor is run by someone waiting at the counter: a broker that needs longer counts as down. */
const MAX_CONNECT_MS = 5000;

/** MQTT 3.1.1 CONNACK 4/5 and MQTT 5 reason codes 134/135/138: the broker answered "no". */
const REFUSED_CODES = new Set([4, 5, 134, 135, 138]);

/**
 * Connects once with the agent's credentials and a throwaway client id (reusing the agent's id
 * would kick the running agent off the broker), publishes nothing, sets no will, and disconnects.
 */
export async function checkBroker(ctx: DoctorContext): Promise<CheckResult> {
  const c = ctx.mqtt;
  if (c === null || c === undefined) return verdict(CHECK, 'BROKER_NOT_CONFIGURED');
  const url = new URL(c.url);
  const where = `${url.protocol}//${url.host}`;
  let client: mqtt.MqttClient | undefined;
  try {
    const tls = c.tls;
    client = await mqtt.connectAsync(
      c.url,
      {
        clientId: `ektp-doctor-${randomBytes(4).toString('hex')}`,
        protocolVersion: c.protocolVersion,
        clean: true,
        connectTimeout: Math.min(c.connectTimeoutS * 1000, MAX_CONNECT_MS),
        reconnectPeriod: 0,
        username: c.username,
        password: c.password,
        ca: tls?.caFile ? readFileSync(tls.caFile) : undefined,
        cert: tls?.certFile ? readFileSync(tls.certFile) : undefined,
        key: tls?.keyFile ? readFileSync(tls.keyFile) : undefined,
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        servername: tls?.servername,
      },
      false,
    );
    return verdict(CHECK, 'BROKER_OK', where);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const refused = typeof code === 'number' && REFUSED_CODES.has(code);
    return verdict(CHECK, refused ? 'BROKER_REFUSED' : 'BROKER_UNREACHABLE', `${where}: ${describeError(err)}`);
  } finally {
    await client?.endAsync(true).catch(() => undefined);
  }
}
