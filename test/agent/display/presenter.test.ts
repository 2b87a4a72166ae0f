import t from 'tap';
import { DisplayPresenter } from '../../../agent/display/presenter.ts';
import type { TxState } from '../../../agent/transaction/states.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import type { Logger } from '../../../drivers/logger.ts';

function logger(errors: string[]): Logger {
  const l: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (o: object) => void errors.push((o as { code: string }).code),
    child: () => l,
  };
  return l;
}

t.test('DisplayPresenter keeps the screen in step with state, notices and faults', async (t) => {
  const display = new SimDisplay();
  await display.open();
  let state: TxState = { name: 'IDLE' };
  const errors: string[] = [];
  const p = new DisplayPresenter(display, { current: () => state, waiting: () => 2, maxAttempts: 4 }, logger(errors));
  p.onState();
  await p.settled();
  t.equal(display.lines()[0].trimEnd(), 'SIAP');
  t.equal(display.lines()[1].trimEnd(), 'Menunggu: 2 orang');

  p.onFault('PAPER_OUT');
  await p.settled();
  t.equal(display.lines()[1].trimEnd(), 'Kertas printer');

  state = { name: 'CALLED', tx: { id: 'x', ticketId: 1, residentId: 1, queueNumber: 'B-007', startedAt: '' }, calls: 1 };
  p.onNotice('CARD_MISMATCH');
  await p.settled();
  t.same(display.lines().map((l) => l.trimEnd()), ['DIPANGGIL      B-007', 'Bukan KTP-el nomor', 'yang dipanggil.', 'Ganti kartu.'], 'the newest notice wins, three rows');
  // A state change ends the notice; the printer fault is still there until it recovers.
  p.onState();
  await p.settled();
  t.equal(display.lines()[1].trimEnd(), 'Kertas printer');
  p.onRecovered();
  await p.settled();
  t.same(display.lines().map((l) => l.trimEnd()), ['DIPANGGIL      B-007', 'Minta nomor antrean', 'Letakkan KTP-el di', 'pembaca kartu']);
  t.same(p.lines().map((l) => l.trimEnd()), display.lines().map((l) => l.trimEnd()), 'the console reads the same lines');
});

t.test('a failing display is logged once per code, recovers by itself and never throws into the counter', async (t) => {
  const display = new SimDisplay();
  const errors: string[] = [];
  const p = new DisplayPresenter(display, { current: () => ({ name: 'IDLE' }), waiting: () => 0, maxAttempts: 4 }, logger(errors));
  display.failNext('DISPLAY_ABSENT');
  p.onState();
  await p.settled();
  t.equal(p.displayFault(), 'DISPLAY_ABSENT', 'unplugged at start: the counter still runs');
  t.equal(display.isOpen, false);
  p.onState();
  await p.settled();
  t.equal(p.displayFault(), null, 'plugged in: the next redraw opens it');
  t.equal(display.lines()[0].trimEnd(), 'SIAP');
  display.failNext('DISPLAY_IO');
  p.onState();
  display.failNext('DISPLAY_IO');
  p.onState();
  await p.settled();
  t.same(errors, ['DISPLAY_ABSENT', 'DISPLAY_IO'], 'one log line per code, not per write');
  await p.close();
  const shown = display.history.length;
  p.onState();
  await p.settled();
  t.equal(display.history.length, shown, 'nothing drawn after close');
  t.equal(display.isOpen, false);
});
