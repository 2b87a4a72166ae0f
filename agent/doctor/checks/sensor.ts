import { isDeviceError } from '../../../drivers/deviceError.ts';
import { describeError, verdict, type DoctorCode } from '../messages.ts';
import type { CheckResult, DoctorContext } from '../types.ts';

const CHECK = 'sensor';

function fromError(err: unknown): DoctorCode {
  if (!isDeviceError(err)) return 'SENSOR_ERROR';
  switch (err.code) {
    case 'ABSENT':
    case 'DISCONNECTED':
      return 'SENSOR_ABSENT';
    case 'BUSY':
      return 'SENSOR_BUSY';
    default:
      return 'SENSOR_ERROR';
  }
}

/**
 * Opens the sensor and asks for one frame with a short timeout. With nobody touching it the
 * capture times out, which proves the sensor answers; a frame (someone's finger was on it) is
 * thrown away unexamined: the doctor never keeps or looks at biometric data.
 */
export async function checkSensor(ctx: DoctorContext): Promise<CheckResult> {
  const sensor = ctx.sensor;
  if (!sensor) throw new Error('checkSensor needs ctx.sensor');
  try {
    await sensor.open();
    const health = sensor.health();
    if (health.state === 'absent') return verdict(CHECK, 'SENSOR_ABSENT', 'health: absent');
    if (health.state === 'error') return verdict(CHECK, 'SENSOR_ERROR', `health: error ${health.lastError ?? ''}`.trim());
    try {
      const frame = await sensor.capture({ timeoutMs: ctx.sensorProbeMs ?? 500 });
      frame.pixels.fill(0);
    } catch (err) {
      if (!(isDeviceError(err) && err.code === 'TIMEOUT')) throw err;
    }
    // health() is not asked again: drivers record the probe's own TIMEOUT as the last error.
    return verdict(CHECK, 'SENSOR_OK', health.model);
  } catch (err) {
    return verdict(CHECK, fromError(err), describeError(err));
  } finally {
    await sensor.close().catch(() => undefined);
  }
}
