import t from 'tap';
import { CodedError, DeviceError, isCodedError, isDeviceError, withTimeout } from '../../drivers/deviceError.ts';
import { CounterError } from '../../agent/errors.ts';
import { MatchingError } from '../../agent/matching/types.ts';
import { SystemdError } from '../../agent/systemd/notify.ts';
import { StatusError } from '../../agent/status/types.ts';
import { CardError } from '../../drivers/card/types.ts';

t.test('DeviceError', async (t) => {
  t.test('keeps code, retryable flag and a frozen detail', async (t) => {
    const err = new CardError('CARD_REMOVED', 'card pulled', { retryable: true, detail: { sw: '6A82' } });
    t.ok(err instanceof DeviceError);
    t.equal(err.code, 'CARD_REMOVED');
    t.equal(err.name, 'CardError');
    t.equal(err.retryable, true);
    t.ok(Object.isFrozen(err.detail));
  });
  t.test('is the base of device errors only; other areas have their own coded errors', async (t) => {
    const others = [
      new CounterError('WRONG_STATE', 'x'),
      new MatchingError('WORKER_CRASHED', 'x'),
      new SystemdError('SD_NOTIFY_UNAVAILABLE', 'x'),
      new StatusError('MQTT_CONFIG_INVALID', 'x'),
    ];
    for (const err of others) {
      t.ok(err instanceof CodedError && isCodedError(err), `${err.name} is coded`);
      t.notOk(isDeviceError(err), `${err.name} is not a device error`);
    }
    t.ok(isCodedError(new CardError('NO_CARD', 'x')) && isDeviceError(new CardError('NO_CARD', 'x')));
  });
  t.test('withTimeout rejects with the timeout error and aborts the work', async (t) => {
    let seen: AbortSignal | undefined;
    const p = withTimeout(
      (signal) => { seen = signal; return new Promise(() => {}); },
      20,
      () => new CardError('TIMEOUT', 'too slow'),
    );
    await t.rejects(p, { code: 'TIMEOUT' });
    t.equal(seen?.aborted, true);
  });
  t.test('withTimeout follows an outer abort', async (t) => {
    const outer = new AbortController();
    const p = withTimeout(() => new Promise(() => {}), 5000, () => new Error('timeout'), outer.signal);
    outer.abort(new CardError('CANCELED', 'operator'));
    await t.rejects(p, { code: 'CANCELED' });
  });
});
