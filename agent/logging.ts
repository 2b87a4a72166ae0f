import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { maskNik } from './slips/mask.ts';

/**
 * Paths pino replaces with "[redacted]" wherever they appear one or two levels deep. Drivers and
 * the counter never log these on purpose; redaction is the second line of defence so that a
 * careless `log.debug({ card })` cannot put a NIK, a template or an APDU into the journal.
 */
const SENSITIVE = ['nik', 'name', 'biodata', 'photo', 'signature', 'template', 'templates', 'fingers', 'pixels', 'image', 'apdu', 'apdus', 'pin', 'key', 'password', 'validation', 'validationJson'];
export const REDACT_PATHS: readonly string[] = SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** The one pino root of the process (agent/main.ts, demo, tools); modules take `child({module})`. */
export function createRootLogger(level: string, destination?: DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: [...REDACT_PATHS],
        // A NIK stays useful to a supervisor in masked form (first 6 + last 4); the rest goes.
        censor: (value: unknown, path: string[]) => (path[path.length - 1] === 'nik' && typeof value === 'string' ? maskNik(value) : '[redacted]'),
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination(1),
  );
}
