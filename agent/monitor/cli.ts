import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_BASE_TOPIC, isBaseTopic, isTopicSegment } from '../status/topics.ts';
import { FleetMonitor } from './monitor.ts';
import { renderTable, snapshot } from './render.ts';

const USAGE = `Usage: ektp-agent monitor --broker URL [--json] [--site S] [options]

Live table of every counter (state, last seen, hardware health, queue, berhasil/gagal today,
outbox depth) with alerts for lost counters, paper out, stale counters and event gaps.

  --broker URL       mqtt://host:1883 or mqtts://host:8883 (required)
  --site S           only this site
  --json             collect retained messages for --window ms, print one JSON snapshot, exit
  --window MS        JSON collection window (default 2000)
  --base TOPIC       topic prefix (default ${DEFAULT_BASE_TOPIC})
  --protocol 4|5     MQTT version (default 5)
  --username U       password from the EKTP_MQTT_PASSWORD environment variable
  --ca FILE --cert FILE --key FILE   TLS material
  --stale-s N        seconds without status/health before a counter is stale (default 180)
  --refresh-ms N     live table refresh (default 1000)
`;

/** `ektp-agent monitor`. Returns the process exit code: 0 ok, 1 broker unreachable, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        broker: { type: 'string' },
        site: { type: 'string' },
        json: { type: 'boolean', default: false },
        window: { type: 'string', default: '2000' },
        base: { type: 'string', default: DEFAULT_BASE_TOPIC },
        protocol: { type: 'string', default: '5' },
        username: { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'stale-s': { type: 'string', default: '180' },
        'refresh-ms': { type: 'string', default: '1000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const errors: string[] = [];
  if (!values.broker) errors.push('--broker is required');
  if (values.site !== undefined && !isTopicSegment(values.site)) errors.push('--site: letters, digits, _ and - only');
  if (!isBaseTopic(values.base)) errors.push('--base: not a valid topic prefix');
  const num = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) errors.push(`--${name}: integer from ${min} to ${max}`);
    return n;
  };
  const windowMs = num('window', values.window, 100, 600_000);
  const staleS = num('stale-s', values['stale-s'], 5, 86_400);
  const refreshMs = num('refresh-ms', values['refresh-ms'], 100, 60_000);
  if (values.protocol !== '4' && values.protocol !== '5') errors.push('--protocol: 4 or 5');
  if (errors.length > 0) {
    process.stderr.write(`${errors.join('\n')}\n\n${USAGE}`);
    return 2;
  }

  const monitor = new FleetMonitor(
    {
      url: values.broker!,
      base: values.base,
      site: values.site ?? null,
      protocolVersion: values.protocol === '4' ? 4 : 5,
      username: values.username,
      password: process.env.EKTP_MQTT_PASSWORD,
      caFile: values.ca,
      certFile: values.cert,
      keyFile: values.key,
      events: !values.json,
    },
    { staleAfterMs: staleS * 1000 },
  );
  try {
    await monitor.start(10_000);
  } catch (err) {
    process.stderr.write(`cannot connect to ${values.broker}: ${(err as Error).message}\n`);
    return 1;
  }

  if (values.json) {
    // Retained status/info/health/metrics arrive right after SUBSCRIBE; the window catches them all.
    await sleep(windowMs);
    const now = Date.now();
    process.stdout.write(JSON.stringify(snapshot(monitor.fleet.views(), monitor.fleet.alerts(now), now), null, 2) + '\n');
    await monitor.stop();
    return 0;
  }

  const tty = process.stdout.isTTY === true;
  const draw = () => {
    const now = Date.now();
    const rows = tty ? Math.max(5, (process.stdout.rows ?? 40) - 12) : Infinity;
    const text = renderTable(monitor.fleet.views(), monitor.fleet.alerts(now), now, rows);
    process.stdout.write(tty ? `\x1b[H\x1b[2J${text}${monitor.connected ? '' : 'broker connection lost; retrying…\n'}` : `${text}\n`);
  };
  const first = setTimeout(draw, 500);
  const timer = setInterval(draw, tty ? refreshMs : Math.max(refreshMs, 10_000));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearTimeout(first);
  clearInterval(timer);
  await monitor.stop();
  return 0;
}

// Run directly (node --import tsx agent/monitor/cli.ts …); the agent's CLI imports main() instead.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
