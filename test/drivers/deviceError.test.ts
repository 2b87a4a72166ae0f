import t from 'tap';
import { DeviceError, withTimeout } from '../../drivers/deviceError.ts';
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
